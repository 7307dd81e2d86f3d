import type { FeatureSpec } from '../../../wire/feature-spec';
import { KIND_DATA, KIND_SUM } from './files2-frames';
import { FILES2_CLIENT_SCHEMAS, FILES2_FEATURE, FILES2_HOST_SCHEMAS } from './files2-messages';

/** files/2 on the wire (PROTOCOL.md §11): its messages, bulk-rated, and its two kinds of binary frames. */
export const FILES2_SPEC: FeatureSpec = {
  name: FILES2_FEATURE,
  toHost: FILES2_CLIENT_SCHEMAS,
  toMember: FILES2_HOST_SCHEMAS,
  refFields: { 'files-offer': 'ref' },
  bucket: 'bulk',
  binaryKinds: [KIND_DATA, KIND_SUM],
};
