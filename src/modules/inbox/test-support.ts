// The signed provider requests of the tests live in test/fixtures/provider-signatures.ts; this name stays
// for receive-messages.test.ts until the change under way in the inbox's receive path lands.
export { twilioSign, sha1Sorted } from '../../../test/fixtures/provider-signatures.js';
