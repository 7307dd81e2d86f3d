import { typeOf, type MessageRegistry } from '../wire/message-registry';
import type { Feature, HubFeature, MemberFeature } from './feature';

/**
 * Which feature's hub or member side handles a message type, and which handles binary frames:
 * looked up once when the room is built, for the host's room, the host's own member and a
 * guest's room alike (binary frames arrive by the thousand per file).
 */
export class FeatureTable {
  private readonly byType = new Map<string, Feature>();
  /** The feature that owns each kind of binary frame (its first byte). */
  private readonly byKind: Array<Feature | undefined> = new Array(256);

  constructor(
    readonly features: readonly Feature[],
    messages: MessageRegistry,
  ) {
    for (const feature of features) {
      for (const schema of [...feature.spec.toHost, ...feature.spec.toMember, ...(feature.spec.events ?? [])]) {
        const type = typeOf(schema);
        if (messages.featureOf(type) === feature.spec) this.byType.set(type, feature);
      }
    }
    for (const [kind, spec] of messages.binaryKinds()) this.byKind[kind] = features.find((f) => f.spec === spec);
  }

  /** The feature a binary frame belongs to, by its first byte. */
  binary(frame: Buffer): Feature | undefined {
    return frame.length === 0 ? undefined : this.byKind[frame[0]!];
  }

  hub(type: string): HubFeature | undefined {
    return this.byType.get(type)?.hub;
  }

  member(type: string): MemberFeature | undefined {
    return this.byType.get(type)?.member;
  }
}
