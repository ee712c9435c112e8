// Builtin family 'dynamic' — declarations are added to the registry here.
export {};
