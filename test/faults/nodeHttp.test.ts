/** The fault suite (`test/support/faultSuite.ts`) over `nodeHttpWire` (`test/support/transports.ts`). */
import { faultSuite } from "../support/faultSuite.ts"
import { nodeHttpWire } from "../support/transports.ts"

faultSuite(nodeHttpWire)
