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
      name: "no-internal-to-services",
      severity: "error",
      comment:
        "internal/, effect4/internal/ and core/ sit under the services and entries: they never import a service " +
        "module (DatafoldClient, DataDiffs), an entry (index, testing, node, api) or the HttpApi description. " +
        "They may import the public models and errors they build (schemas, tagged errors, service interfaces), " +
        "as Effect's own internal/ modules import its public types.",
      from: { path: "^src/(internal|effect4/internal|core)/" },
      to: { path: "^src/(effect4/)?(DatafoldClient|DataDiffs|index|testing|node|api|DatafoldApi)\\.ts$" }
    },
    {
      name: "core-stands-alone",
      severity: "error",
      comment:
        "core/ is the Effect-free code both majors share: it imports only core/ and the runtime's built-ins " +
        "(no Effect, no public module, no internal/).",
      from: { path: "^src/core/" },
      to: { pathNot: "^src/core/", dependencyTypesNot: ["core"] }
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
