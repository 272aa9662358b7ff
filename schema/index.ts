export * from './responses';
export * from './scales';
export * from './signature-links';
export * from './surveys';
export * from './workspaces';
export * from './webhooks';
export * from './health';
export * from './privacy';
