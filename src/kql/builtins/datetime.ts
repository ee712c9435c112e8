// Builtin family 'datetime' — declarations are added to the registry here.
export {};
