import { z } from 'zod';
import type { ErrorCode } from './errors';
import type { FeatureSpec, MessageSchema } from './feature-spec';
import { FEATURE_NAME } from './features';
import { CORE_EVENT_SCHEMAS, errorFrameSchema, helloSchema, type NumberedEvent, welcomeSchemaFor } from './protocol';

/** What a decoder checks frames from one side against (frame-decoder.ts). */
export interface Vocabulary {
  /** Every message type this side may receive, as one discriminated union. */
  readonly schema: z.ZodType<{ type: string }>;
  readonly types: ReadonlySet<string>;
  /** Per type, the field that names a message, for an error's `ref`. */
  readonly refFields: Readonly<Record<string, string>>;
  /** Per type and field, the code of the error a broken value gets. */
  readonly fieldErrors: Readonly<Record<string, Readonly<Record<string, ErrorCode>>>>;
}

/**
 * The wire protocol of one build: the core messages plus those of every feature it speaks,
 * assembled once. Both the host (checking members' frames) and a guest (checking the host's)
 * decode with it; it also says which feature a type belongs to, so that nothing of a feature a
 * peer did not announce is sent or taken.
 */
export class MessageRegistry {
  /** What a host accepts from members. */
  readonly toHost: Vocabulary;
  /** What a member accepts from the host. */
  readonly toMember: Vocabulary;
  /** Every numbered room event: the room's own and the features'. */
  readonly events: z.ZodType<NumberedEvent>;
  /** The feature names, in the order given: what hello and welcome announce. */
  readonly names: readonly string[];
  private readonly featureOfType = new Map<string, FeatureSpec>();
  private readonly binaryOwners = new Map<number, FeatureSpec>();
  private readonly eventTypes: ReadonlySet<string>;

  constructor(readonly specs: readonly FeatureSpec[]) {
    this.names = specs.map((s) => s.name);
    const seen = new Set<string>();
    for (const spec of specs) {
      if (!FEATURE_NAME.test(spec.name)) throw new Error(`Feature name "${spec.name}" is not name/version.`);
      if (seen.has(spec.name)) throw new Error(`Feature ${spec.name} is registered twice.`);
      seen.add(spec.name);
      for (const schema of [...spec.toHost, ...spec.toMember, ...(spec.events ?? [])]) {
        const type = typeOf(schema);
        const owner = this.featureOfType.get(type);
        if (owner && owner !== spec) throw new Error(`Message type "${type}" belongs to ${owner.name} and ${spec.name}.`);
        this.featureOfType.set(type, spec);
      }
    }
    for (const spec of specs)
      for (const kind of spec.binaryKinds ?? []) {
        const owner = this.binaryOwners.get(kind);
        if (owner) throw new Error(`Kind ${kind} of binary frames belongs to ${owner.name} and ${spec.name}.`);
        this.binaryOwners.set(kind, spec);
      }
    const eventSchemas = [...CORE_EVENT_SCHEMAS, ...specs.flatMap((s) => s.events ?? [])];
    this.events = union(eventSchemas) as unknown as z.ZodType<NumberedEvent>;
    this.eventTypes = new Set(eventSchemas.map(typeOf));
    const named = {
      refFields: Object.assign({}, ...specs.map((s) => s.refFields ?? {})) as Record<string, string>,
      fieldErrors: Object.assign({}, ...specs.map((s) => s.fieldErrors ?? {})) as Vocabulary['fieldErrors'],
    };
    this.toHost = vocabulary([helloSchema, ...specs.flatMap((s) => s.toHost)], named);
    this.toMember = vocabulary(
      [welcomeSchemaFor(this.events), ...eventSchemas, errorFrameSchema, ...specs.flatMap((s) => s.toMember)],
      named,
    );
  }

  /** The feature a message type belongs to; undefined for the core every peer speaks. */
  featureOf(type: string): FeatureSpec | undefined {
    return this.featureOfType.get(type);
  }

  /** Whether a host message of this type is a numbered room event (PROTOCOL.md §5). */
  isEvent(type: string): boolean {
    return this.eventTypes.has(type);
  }

  /** Whether a message of this type may travel on a connection that shares `features`. */
  allowed(features: ReadonlySet<string>, type: string): boolean {
    const feature = this.featureOf(type);
    return feature === undefined || features.has(feature.name);
  }

  /** The feature that owns binary frames of this kind (their first byte), if any. */
  binaryFeature(kind: number): FeatureSpec | undefined {
    return this.binaryOwners.get(kind);
  }

  /** Every binary kind and the feature that owns it. */
  binaryKinds(): ReadonlyMap<number, FeatureSpec> {
    return this.binaryOwners;
  }
}

/** The literal `type` a message schema declares. */
export function typeOf(schema: MessageSchema): string {
  const type = (schema.shape as { type?: z.ZodType }).type;
  if (!(type instanceof z.ZodLiteral) || typeof type.value !== 'string') throw new Error('A message schema needs a literal type.');
  return type.value;
}

function union(schemas: readonly MessageSchema[]): z.ZodType<{ type: string }> {
  return z.discriminatedUnion('type', schemas as unknown as [MessageSchema, ...MessageSchema[]]) as unknown as z.ZodType<{
    type: string;
  }>;
}

function vocabulary(schemas: readonly MessageSchema[], named: Pick<Vocabulary, 'refFields' | 'fieldErrors'>): Vocabulary {
  const types = new Set(schemas.map(typeOf));
  const mine = <V>(record: Readonly<Record<string, V>>) => Object.fromEntries(Object.entries(record).filter(([type]) => types.has(type)));
  return { schema: union(schemas), types, refFields: mine(named.refFields), fieldErrors: mine(named.fieldErrors) };
}
