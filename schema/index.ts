export * from './responses';
export * from './scales';
export * from './surveys';
export * from './workspaces';
export * from './webhooks';
