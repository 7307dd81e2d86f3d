import type { FeatureSpec } from '../../wire/feature-spec';
import { CHUNK_KIND_DATA } from './chunk-frame';
import { FILES_FEATURE, TRANSFER_CLIENT_SCHEMAS, TRANSFER_HOST_SCHEMAS } from './transfer-messages';

/** The files feature on the wire (PROTOCOL.md §9): its messages, bulk-rated, and the binary frames. */
export const FILES_SPEC: FeatureSpec = {
  name: FILES_FEATURE,
  toHost: TRANSFER_CLIENT_SCHEMAS,
  toMember: TRANSFER_HOST_SCHEMAS,
  refFields: { 'file-offer': 'ref' },
  bucket: 'bulk',
  binaryKinds: [CHUNK_KIND_DATA],
};
