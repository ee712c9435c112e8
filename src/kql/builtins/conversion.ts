// Builtin family 'conversion' — declarations are added to the registry here.
export {};
