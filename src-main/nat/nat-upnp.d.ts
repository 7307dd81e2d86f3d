// Types for the parts of nat-upnp 1.1.1 (as patched in patches/) that the UPnP child uses.
declare module 'nat-upnp' {
  import type { EventEmitter } from 'node:events';

  export interface UpnpCallError extends Error {
    statusCode?: number;
    upnpErrorCode?: number | null;
    upnpErrorDescription?: string;
  }
  export interface DeviceOptions {
    allowedHost?: string;
    timeoutMs?: number;
    maxBytes?: number;
  }
  export interface ServiceInfo {
    service: string;
    SCPDURL: string;
    controlURL: string;
  }
  export interface Device {
    services: string[];
    getService(types: string[], callback: (err: Error | null, info?: ServiceInfo) => void): void;
    run(
      action: string,
      args: Array<[string, string | number | undefined]>,
      callback: (err: UpnpCallError | null, body?: Record<string, unknown>) => void,
    ): void;
  }
  export interface Ssdp {
    search(searchTarget: string): EventEmitter;
    close(): void;
  }
  const nat: {
    ssdp: { create(): Ssdp };
    device: { create(location: string, options?: DeviceOptions): Device };
  };
  export default nat;
}
