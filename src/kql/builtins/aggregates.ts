// Builtin family 'aggregates' — declarations are added to the registry here.
export {};
