import Testing
import TodoPostgres
