/** The fault suite (`test/support/faultSuite.ts`) over `userHttpClient` (`test/support/transports.ts`). */
import { faultSuite } from "../support/faultSuite.ts"
import { userHttpClient } from "../support/transports.ts"

faultSuite(userHttpClient)
