export * from './diff.js';
export * from './errors.js';
export * from './json-pointer.js';
export * from './operations.js';
export * from './paths.js';
export * from './spec.js';
export * from './spec-defects.js';
export * from './validators.js';
