// Replaced by the database setup (embedded PostgreSQL or DATABASE_URL).
export default async function setup() {}
