/** The fault suite (`test/support/faultSuite.ts`) over `fetchWire` (`test/support/transports.ts`). */
import { faultSuite } from "../support/faultSuite.ts"
import { fetchWire } from "../support/transports.ts"

faultSuite(fetchWire)
