// Builtin family 'math' — declarations are added to the registry here.
export {};
