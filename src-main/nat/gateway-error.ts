// An error the UPnP child reports to the parent, with the kind that decides the status.
import type { MapperFailure } from './mapper-messages';

/** A failure talking to the gateway, carrying the UPnP error code when the router sent one. */
export class GatewayError extends Error {
  constructor(
    readonly kind: MapperFailure['kind'],
    message: string,
    readonly upnpCode?: number,
  ) {
    super(message);
  }

  /** Converts any thrown value into the wire shape of a failure. */
  static toFailure(error: unknown): MapperFailure {
    if (error instanceof GatewayError) {
      const failure: MapperFailure = { kind: error.kind, message: error.message.slice(0, 500) };
      if (error.upnpCode !== undefined) failure.upnpCode = error.upnpCode;
      return failure;
    }
    const message = error instanceof Error ? error.message : String(error);
    return { kind: 'internal', message: message.slice(0, 500) };
  }
}
