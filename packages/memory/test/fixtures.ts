export { KEY, ledgerHandler, type Ledger, type LedgerEvent } from "../../../test/support/memory-ledger.js";
