// Port-mapping state shared by the host, the CLI and the UI. No Node imports: the renderer uses it too.

/** What happened when we asked the router to forward the room's port. */
export type PortMappingCode =
  | 'starting'
  | 'mapped'
  | 'double-nat'
  | 'cgnat'
  | 'refused'
  | 'no-router'
  | 'error'
  | 'stopped';

/** The port mapper's current state, with one sentence a person can act on. */
export type PortMappingStatus = {
  code: PortMappingCode;
  message: string;
  externalAddress?: string;
  externalPort?: number;
  internalAddress?: string;
  internalPort: number;
  leaseSeconds?: number;
};
