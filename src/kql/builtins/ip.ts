// Builtin family 'ip' — declarations are added to the registry here.
export {};
