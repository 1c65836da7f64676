// The library's public surface: the pipeline stages and their value types.
export * from './model.js';
export * from './errors.js';
