public import PostgresNIO
