/** Wire types of every vSNAP endpoint and callback, shared by client, sandbox and gateway. */
export * from './common';
export * from './endpoints';
export * from './toko';
export * from './consumer';
export * from './callbacks';
