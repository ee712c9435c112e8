// Builtin family 'string' — declarations are added to the registry here.
export {};
