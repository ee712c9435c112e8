// Builtin family 'regex' — declarations are added to the registry here.
export {};
