/**
 * The folder the upload bench and the memory test upload: the ZIP bench's large dbt-like target
 * (`../zip/dbtTarget.ts`) with a larger manifest, about 150 MB in 3 005 files, the size issue 18 names.
 */
import { type DbtTargetOptions, LARGE_TARGET } from "../zip/dbtTarget.ts"

/** About 150 MB (143 MiB): a 91.5 MB manifest, catalog, run results, 3 000 .sql files and 30 MiB incompressible. */
export const UPLOAD_TARGET: DbtTargetOptions = { ...LARGE_TARGET, manifestBytes: 91.5e6 }
