// A guest has no identity of its own, yet the relay's control connection needs a client
// certificate. One self-signed certificate is made per process, the first time a guest dials a
// relay, and reused: it identifies nothing (the pinned host certificate is what protects the guest).
import { createSelfSignedIdentity } from '../link/host-identity';
import type { RelayIdentity } from './relay-control';

let made: Promise<RelayIdentity> | undefined;

/** This process's throwaway client certificate and key. */
export function throwawayIdentity(): Promise<RelayIdentity> {
  if (made === undefined) {
    const making = createThrowawayIdentity();
    made = making;
    making.catch(() => {
      made = undefined; // a failure is not kept: the next dial tries again
    });
    return making;
  }
  return made;
}

async function createThrowawayIdentity(): Promise<RelayIdentity> {
  const { certPem, keyPem } = await createSelfSignedIdentity('Porthole guest', 1);
  return { certPem, keyPem };
}
