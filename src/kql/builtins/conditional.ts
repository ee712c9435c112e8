// Builtin family 'conditional' — declarations are added to the registry here.
export {};
