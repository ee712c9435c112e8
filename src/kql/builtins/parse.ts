// Builtin family 'parse' — declarations are added to the registry here.
export {};
