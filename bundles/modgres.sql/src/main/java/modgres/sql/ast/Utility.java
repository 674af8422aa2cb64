package modgres.sql.ast;

import java.util.List;

/** Transaction control, session settings, prepared statements and maintenance commands. */
public sealed interface Utility extends Statement {

    enum TransactionKind {
        BEGIN, START, COMMIT, ROLLBACK, SAVEPOINT, RELEASE, ROLLBACK_TO, PREPARE, COMMIT_PREPARED,
        ROLLBACK_PREPARED
    }

    /**
     * BEGIN, START TRANSACTION, COMMIT/END, ROLLBACK/ABORT, SAVEPOINT, RELEASE,
     * ROLLBACK TO, PREPARE TRANSACTION, COMMIT/ROLLBACK PREPARED.
     *
     * @param name  the savepoint name or the prepared transaction's id, else null
     * @param chain {@code AND CHAIN}
     */
    record Transaction(int position, TransactionKind kind, List<TransactionMode> modes, String name,
            boolean chain) implements Utility {
        public Transaction {
            modes = List.copyOf(modes);
        }
    }

    enum SetKind {
        /** {@code SET name TO values}. */
        VALUE,
        /** {@code SET name TO DEFAULT}. */
        DEFAULT,
        /** {@code SET name FROM CURRENT}. */
        FROM_CURRENT,
        /** {@code RESET name}. */
        RESET,
        /** {@code RESET ALL}. */
        RESET_ALL
    }

    /**
     * SET, SET LOCAL, RESET: the name as PostgreSQL's setting name
     * ({@code SET TIME ZONE} is timezone, {@code SET NAMES} client_encoding,
     * {@code SET ROLE} role, {@code SET SESSION AUTHORIZATION}
     * session_authorization, {@code SET SCHEMA} search_path,
     * {@code SET XML OPTION} xmloption); values as constants (words become
     * strings, as in PostgreSQL).
     */
    record VariableSet(int position, SetKind kind, String name, List<Expr> values, boolean local)
            implements Utility {
        public VariableSet {
            values = List.copyOf(values);
        }
    }

    /**
     * {@code SET [LOCAL|SESSION] TRANSACTION modes}, {@code SET TRANSACTION
     * SNAPSHOT 'id'} (snapshot non-null) and {@code SET SESSION
     * CHARACTERISTICS AS TRANSACTION modes} (sessionCharacteristics).
     */
    record SetTransaction(int position, boolean sessionCharacteristics, List<TransactionMode> modes,
            String snapshot, boolean local) implements Utility {
        public SetTransaction {
            modes = List.copyOf(modes);
        }
    }

    /** {@code SET CONSTRAINTS ALL|names DEFERRED|IMMEDIATE}; names null for ALL. */
    record SetConstraints(int position, List<RangeVar> constraints, boolean deferred) implements Utility {
        public SetConstraints {
            constraints = constraints == null ? null : List.copyOf(constraints);
        }
    }

    /** {@code SHOW name} (lower case setting name; "all" for SHOW ALL). */
    record Show(int position, String name) implements Utility {
    }

    enum DiscardTarget { ALL, PLANS, SEQUENCES, TEMP }

    /** {@code DISCARD ALL|PLANS|SEQUENCES|TEMP}. */
    record Discard(int position, DiscardTarget target) implements Utility {
    }

    /** {@code PREPARE name [(types)] AS statement}. */
    record Prepare(int position, String name, List<TypeName> argTypes, Statement query) implements Utility {
        public Prepare {
            argTypes = List.copyOf(argTypes);
        }
    }

    /** {@code EXECUTE name [(params)]}. */
    record Execute(int position, String name, List<Expr> params) implements Utility {
        public Execute {
            params = List.copyOf(params);
        }
    }

    /** {@code DEALLOCATE [PREPARE] name|ALL}; name null for ALL. */
    record Deallocate(int position, String name) implements Utility {
    }

    /**
     * {@code EXPLAIN [ANALYZE] [VERBOSE] statement} or {@code EXPLAIN (options)
     * statement}; the old form is given as the options analyze and verbose.
     */
    record Explain(int position, Statement query, List<DefElem> options) implements Utility {
        public Explain {
            options = List.copyOf(options);
        }
    }

    /** A table of VACUUM / ANALYZE with optional columns. */
    record VacuumRelation(RangeVar relation, List<String> columns) {
        public VacuumRelation {
            columns = List.copyOf(columns);
        }
    }

    /**
     * {@code VACUUM [FULL] [FREEZE] [VERBOSE] [ANALYZE] [tables]},
     * {@code VACUUM (options) [tables]}, {@code ANALYZE [VERBOSE] [tables]}
     * (vacuum false); old-style words are given as options.
     */
    record Vacuum(int position, boolean vacuum, List<DefElem> options, List<VacuumRelation> relations)
            implements Utility {
        public Vacuum {
            options = List.copyOf(options);
            relations = List.copyOf(relations);
        }
    }

    /** {@code CHECKPOINT}. */
    record Checkpoint(int position) implements Utility {
    }

    enum LockMode {
        ACCESS_SHARE("ACCESS SHARE"), ROW_SHARE("ROW SHARE"), ROW_EXCLUSIVE("ROW EXCLUSIVE"),
        SHARE_UPDATE_EXCLUSIVE("SHARE UPDATE EXCLUSIVE"), SHARE("SHARE"), SHARE_ROW_EXCLUSIVE("SHARE ROW EXCLUSIVE"),
        EXCLUSIVE("EXCLUSIVE"), ACCESS_EXCLUSIVE("ACCESS EXCLUSIVE");

        public final String sql;

        LockMode(String sql) {
            this.sql = sql;
        }
    }

    /** {@code LOCK [TABLE] [ONLY] t, ... [IN mode MODE] [NOWAIT]} (mode ACCESS EXCLUSIVE when not given). */
    record Lock(int position, List<RangeVar> relations, LockMode mode, boolean nowait) implements Utility {
        public Lock {
            relations = List.copyOf(relations);
        }
    }

    /**
     * COPY: a table with columns, or a query (a SelectStmt or Dml), FROM or TO
     * a file, a program or the client (filename null: STDIN / STDOUT).
     * Old-style options are given as the new style's names (format, header,
     * delimiter, null, quote, escape, force_quote, force_not_null, force_null,
     * encoding, freeze).
     */
    record Copy(int position, RangeVar relation, List<String> columns, Statement query, boolean from,
            boolean program, String filename, List<DefElem> options, Expr where) implements Utility {
        public Copy {
            columns = List.copyOf(columns);
            options = List.copyOf(options);
        }
    }

    /** {@code LISTEN channel}. */
    record Listen(int position, String channel) implements Utility {
    }

    /** {@code NOTIFY channel [, 'payload']}; payload null when not given. */
    record Notify(int position, String channel, String payload) implements Utility {
    }

    /** {@code UNLISTEN channel|*}; channel null for *. */
    record Unlisten(int position, String channel) implements Utility {
    }

    /** {@code DO [LANGUAGE l] 'code'}; language null when not given. */
    record Do(int position, String code, String language) implements Utility {
    }

    /** {@code ALTER SYSTEM SET|RESET ...}. */
    record AlterSystem(int position, VariableSet set) implements Utility {
    }

    enum CursorOption { BINARY, INSENSITIVE, ASENSITIVE, SCROLL, NO_SCROLL, HOLD }

    /** {@code DECLARE name [BINARY] [[NO] SCROLL] CURSOR [WITH[OUT] HOLD] FOR query}. */
    record DeclareCursor(int position, String name, java.util.Set<CursorOption> options, SelectStmt query)
            implements Utility {
        public DeclareCursor {
            options = java.util.Set.copyOf(options);
        }
    }

    enum FetchDirection { FORWARD, BACKWARD, ABSOLUTE, RELATIVE }

    /**
     * {@code FETCH|MOVE [direction] [FROM|IN] cursor}: NEXT is FORWARD 1, PRIOR
     * BACKWARD 1, FIRST ABSOLUTE 1, LAST ABSOLUTE -1, ALL a count of
     * {@link Long#MAX_VALUE}.
     */
    record Fetch(int position, boolean move, FetchDirection direction, long count, String cursor)
            implements Utility {
        public static final long ALL = Long.MAX_VALUE;
    }

    /** {@code CLOSE name|ALL}; name null for ALL. */
    record Close(int position, String name) implements Utility {
    }

    /**
     * A statement of a kind this parser recognises by its leading key words
     * but does not parse (CREATE FUNCTION, CREATE TRIGGER, MERGE...). kind is
     * the leading words in upper case ("CREATE FUNCTION"), text the source
     * text; executing it should fail with {@code 0A000}.
     */
    record Unsupported(int position, String kind, String text) implements Utility {
    }

    /** {@code CALL procedure(args)}. */
    record Call(int position, Expr.FuncCall call) implements Utility {
    }
}
