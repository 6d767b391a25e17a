/** The fault suite (`test/support/faultSuite.ts`) over `undiciWire` (`test/support/transports.ts`). */
import { faultSuite } from "../support/faultSuite.ts"
import { undiciWire } from "../support/transports.ts"

faultSuite(undiciWire)
