// Builtin family 'encoding' — declarations are added to the registry here.
export {};
