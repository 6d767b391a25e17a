/**
 * `npm run check:cycles`: the import rules of `src/`, one config. Type-only imports count
 * (`tsPreCompilationDeps`): a cycle of types is still a cycle for a reader.
 */
/** Folders of the CLI from the top down: each may import only folders after it. */
const cliLayers = ["src/cli/main\\.ts", "src/cli/commands/", "src/cli/shell/", "src/cli/facts/", "src/cli/args/"]

module.exports = {
  forbidden: [
    { name: "no-circular", severity: "error", comment: "An import cycle.", from: {}, to: { circular: true } },
    {
      name: "no-internal-to-public",
      severity: "error",
      comment:
        "internal/, effect4/internal/ and core/ sit under the public modules: they never import a top-level module " +
        "of src/ or src/effect4/.",
      from: { path: "^src/(internal|effect4/internal|core)/" },
      to: { path: "^src/(effect4/)?[^/]+\\.ts$" }
    },
    ...cliLayers.slice(1).map((layer, index) => ({
      name: `cli-one-way-${layer.replace(/^src\/cli\/|\/$|\\\.ts$/g, "")}`,
      severity: "error",
      comment: `src/cli/ imports one way (${cliLayers.join(" -> ")}): ${layer} does not import a folder above it.`,
      from: { path: `^${layer}` },
      to: { path: `^(${cliLayers.slice(0, index + 1).join("|")})` }
    })),
    {
      name: "cli-commands-apart",
      severity: "error",
      comment: "One command does not import another: what two commands share lives in shell/.",
      from: { path: "^src/cli/commands/([^/]+)/" },
      to: { path: "^src/cli/commands/[^/]+/", pathNot: "^src/cli/commands/$1/" }
    }
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" }
  }
}
