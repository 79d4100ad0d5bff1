// better-sqlite3 ships no types; the app only hands the module to TypeORM (its `driver` option).
declare module 'better-sqlite3' {
  const Database: new (filename: string, options?: object) => unknown;
  export = Database;
}
declare module 'better-sqlite3-napi' {
  const Database: new (filename: string, options?: object) => unknown;
  export = Database;
}
