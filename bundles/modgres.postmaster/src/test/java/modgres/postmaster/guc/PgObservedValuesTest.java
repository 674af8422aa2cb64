package modgres.postmaster.guc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import modgres.api.error.PgException;
import modgres.postmaster.guc.GucDefinitions.Def;

/**
 * Values set with {@code SET name = 'value'; SHOW name} on PostgreSQL 15.18,
 * and what it answered: the SHOW output, or the error with its SQLSTATE,
 * DETAIL and HINT. Each line is "name ¦ value ¦ answer"; in values, "\\t"
 * stands for a tab and "&lt;empty&gt;" for the empty string (also as a SHOW result). (Left out: the
 * tcp_* settings, whose SHOW reads the client's socket, and search_path,
 * which SET quotes as a list.)
 */
class PgObservedValuesTest {

    private static final String OBSERVED = """
            work_mem ¦ abc ¦ ERR 22023: invalid value for parameter "work_mem": "abc"
            work_mem ¦ 1.5GB ¦ OK 1536MB
            work_mem ¦ 64 ¦ OK 64kB
            work_mem ¦ 10 MB ¦ OK 10MB
            work_mem ¦ 10mb ¦ ERR 22023: invalid value for parameter "work_mem": "10mb" | HINT Valid units for this parameter are "B", "kB", "MB", "GB", and "TB".
            work_mem ¦ 10MBx ¦ ERR 22023: invalid value for parameter "work_mem": "10MBx" | HINT Valid units for this parameter are "B", "kB", "MB", "GB", and "TB".
            work_mem ¦ 1TB ¦ OK 1TB
            work_mem ¦ 0x100 ¦ OK 256kB
            work_mem ¦ 010 ¦ ERR 22023: 8 kB is outside the valid range for parameter "work_mem" (64 .. 2147483647)
            work_mem ¦ 08 ¦ ERR 22023: invalid value for parameter "work_mem": "08" | HINT Valid units for this parameter are "B", "kB", "MB", "GB", and "TB".
            work_mem ¦ 1e3 ¦ OK 1000kB
            work_mem ¦  100  ¦ OK 100kB
            work_mem ¦ 100.5 ¦ OK 100kB
            work_mem ¦ 1000B ¦ ERR 22023: 1 kB is outside the valid range for parameter "work_mem" (64 .. 2147483647)
            work_mem ¦ 1500B ¦ ERR 22023: 1 kB is outside the valid range for parameter "work_mem" (64 .. 2147483647)
            work_mem ¦ 1536kB ¦ OK 1536kB
            work_mem ¦ 1048576 ¦ OK 1GB
            work_mem ¦ 3000000000 ¦ ERR 22023: invalid value for parameter "work_mem": "3000000000" | HINT Value exceeds integer range.
            work_mem ¦ 99999999999999999999 ¦ ERR 22023: invalid value for parameter "work_mem": "99999999999999999999" | HINT Value exceeds integer range.
            work_mem ¦ -5 ¦ ERR 22023: -5 kB is outside the valid range for parameter "work_mem" (64 .. 2147483647)
            work_mem ¦ .5MB ¦ OK 512kB
            work_mem ¦  .5MB ¦ ERR 22023: invalid value for parameter "work_mem": " .5MB"
            work_mem ¦ 0x ¦ ERR 22023: invalid value for parameter "work_mem": "0x" | HINT Valid units for this parameter are "B", "kB", "MB", "GB", and "TB".
            work_mem ¦ 1e ¦ ERR 22023: invalid value for parameter "work_mem": "1e" | HINT Valid units for this parameter are "B", "kB", "MB", "GB", and "TB".
            work_mem ¦ 1kBx ¦ ERR 22023: invalid value for parameter "work_mem": "1kBx" | HINT Valid units for this parameter are "B", "kB", "MB", "GB", and "TB".
            work_mem ¦ 1 kB x ¦ ERR 22023: invalid value for parameter "work_mem": "1 kB x" | HINT Valid units for this parameter are "B", "kB", "MB", "GB", and "TB".
            work_mem ¦ 2047MB ¦ OK 2047MB
            work_mem ¦ 2GB ¦ OK 2GB
            work_mem ¦ 1.9999999999GB ¦ OK 2GB
            work_mem ¦ 0.0001TB ¦ ERR 22023: 0 kB is outside the valid range for parameter "work_mem" (64 .. 2147483647)
            work_mem ¦ +128 ¦ OK 128kB
            work_mem ¦ inf ¦ ERR 22023: invalid value for parameter "work_mem": "inf"
            work_mem ¦ nan ¦ ERR 22023: invalid value for parameter "work_mem": "nan"
            work_mem ¦ 1e400 ¦ ERR 22023: invalid value for parameter "work_mem": "1e400"
            work_mem ¦ 1e-400 ¦ ERR 22023: invalid value for parameter "work_mem": "1e-400"
            temp_buffers ¦ 1 ¦ ERR 22023: 1 8kB is outside the valid range for parameter "temp_buffers" (100 .. 1073741823)
            temp_buffers ¦ 800kB ¦ OK 800kB
            temp_buffers ¦ 1GB ¦ OK 1GB
            temp_buffers ¦ 1000 ¦ OK 8000kB
            maintenance_work_mem ¦ 1.5MB ¦ OK 1536kB
            statement_timeout ¦ 1.5s ¦ OK 1500ms
            statement_timeout ¦ 1.5 ¦ OK 2ms
            statement_timeout ¦ 90s ¦ OK 90s
            statement_timeout ¦ 100us ¦ OK 0
            statement_timeout ¦ 600us ¦ OK 1ms
            statement_timeout ¦ 3600000 ¦ OK 1h
            statement_timeout ¦ 86400000 ¦ OK 1d
            statement_timeout ¦ 1 d ¦ OK 1d
            statement_timeout ¦ x ¦ ERR 22023: invalid value for parameter "statement_timeout": "x"
            statement_timeout ¦ -1 ¦ ERR 22023: -1 ms is outside the valid range for parameter "statement_timeout" (0 .. 2147483647)
            statement_timeout ¦ 0.5min ¦ OK 30s
            statement_timeout ¦ 1h  ¦ OK 1h
            statement_timeout ¦ 120000 ¦ OK 2min
            statement_timeout ¦ 7200s ¦ OK 2h
            statement_timeout ¦ 25h ¦ OK 25h
            statement_timeout ¦ 1.5h ¦ OK 90min
            statement_timeout ¦ 1ms ¦ OK 1ms
            statement_timeout ¦ 1MB ¦ ERR 22023: invalid value for parameter "statement_timeout": "1MB" | HINT Valid units for this parameter are "us", "ms", "s", "min", "h", and "d".
            lock_timeout ¦ 10s ¦ OK 10s
            idle_session_timeout ¦ 1d ¦ OK 1d
            vacuum_cost_delay ¦ 1.5ms ¦ OK 1500us
            vacuum_cost_delay ¦ 500us ¦ OK 500us
            vacuum_cost_delay ¦ 1000us ¦ OK 1ms
            vacuum_cost_delay ¦ 0.1 ¦ OK 100us
            vacuum_cost_delay ¦ 1s ¦ ERR 22023: 1000 ms is outside the valid range for parameter "vacuum_cost_delay" (0 .. 100)
            vacuum_cost_delay ¦ 200 ¦ ERR 22023: 200 ms is outside the valid range for parameter "vacuum_cost_delay" (0 .. 100)
            vacuum_cost_delay ¦ x ¦ ERR 22023: invalid value for parameter "vacuum_cost_delay": "x"
            vacuum_cost_delay ¦ 1 min ¦ ERR 22023: 60000 ms is outside the valid range for parameter "vacuum_cost_delay" (0 .. 100)
            vacuum_cost_delay ¦ 0.0001 ¦ OK 0.1us
            vacuum_cost_delay ¦ 99.99999999 ¦ OK 100ms
            vacuum_cost_delay ¦ 0.333 ¦ OK 333us
            random_page_cost ¦ -1 ¦ ERR 22023: -1 is outside the valid range for parameter "random_page_cost" (0 .. 1.79769e+308)
            random_page_cost ¦ 1e400 ¦ ERR 22023: invalid value for parameter "random_page_cost": "1e400"
            random_page_cost ¦ nan ¦ ERR 22023: invalid value for parameter "random_page_cost": "nan"
            random_page_cost ¦ inf ¦ ERR 22023: Infinity is outside the valid range for parameter "random_page_cost" (0 .. 1.79769e+308)
            random_page_cost ¦ -inf ¦ ERR 22023: -Infinity is outside the valid range for parameter "random_page_cost" (0 .. 1.79769e+308)
            random_page_cost ¦ 1.23456789 ¦ OK 1.23457
            random_page_cost ¦ 1234567 ¦ OK 1.23457e+06
            random_page_cost ¦ 123456 ¦ OK 123456
            random_page_cost ¦ 0.00001 ¦ OK 1e-05
            random_page_cost ¦ 0.0001 ¦ OK 0.0001
            random_page_cost ¦ 1kB ¦ ERR 22023: invalid value for parameter "random_page_cost": "1kB"
            random_page_cost ¦ 1e10 ¦ OK 1e+10
            random_page_cost ¦ 0x10 ¦ OK 16
            random_page_cost ¦ 1.5e-7 ¦ OK 1.5e-07
            random_page_cost ¦ 100000000000000000000000 ¦ OK 1e+23
            cpu_tuple_cost ¦ 0.0000001 ¦ OK 1e-07
            hash_mem_multiplier ¦ 0.5 ¦ ERR 22023: 0.5 is outside the valid range for parameter "hash_mem_multiplier" (1 .. 1000)
            hash_mem_multiplier ¦ 1001 ¦ ERR 22023: 1001 is outside the valid range for parameter "hash_mem_multiplier" (1 .. 1000)
            recursive_worktable_factor ¦ 0.0001 ¦ ERR 22023: 0.0001 is outside the valid range for parameter "recursive_worktable_factor" (0.001 .. 1e+06)
            geqo_threshold ¦ 1 ¦ ERR 22023: 1 is outside the valid range for parameter "geqo_threshold" (2 .. 2147483647)
            effective_cache_size ¦ 1 ¦ OK 8kB
            effective_cache_size ¦ 8kB ¦ OK 8kB
            effective_cache_size ¦ 12kB ¦ OK 16kB
            effective_cache_size ¦ 1000000 ¦ OK 8000000kB
            effective_cache_size ¦ 1TB ¦ OK 1TB
            effective_cache_size ¦ 16TB ¦ ERR 22023: invalid value for parameter "effective_cache_size": "16TB" | HINT Value exceeds integer range.
            effective_cache_size ¦ 0 ¦ ERR 22023: 0 8kB is outside the valid range for parameter "effective_cache_size" (1 .. 2147483647)
            log_temp_files ¦ 0 ¦ OK 0
            log_temp_files ¦ 1024 ¦ OK 1MB
            log_temp_files ¦ -1 ¦ OK -1
            log_temp_files ¦ -2 ¦ ERR 22023: -2 kB is outside the valid range for parameter "log_temp_files" (-1 .. 2147483647)
            log_min_duration_statement ¦ 250ms ¦ OK 250ms
            log_min_duration_statement ¦ -1 ¦ OK -1
            log_min_duration_statement ¦ 0 ¦ OK 0
            log_parameter_max_length ¦ 1kB ¦ OK 1kB
            log_parameter_max_length ¦ 100 ¦ OK 100B
            log_parameter_max_length ¦ -1 ¦ OK -1
            temp_file_limit ¦ 1GB ¦ OK 1GB
            temp_file_limit ¦ -1 ¦ OK -1
            gin_pending_list_limit ¦ 4MB ¦ OK 4MB
            enable_seqscan ¦ of ¦ OK off
            enable_seqscan ¦ o ¦ ERR 22023: parameter "enable_seqscan" requires a Boolean value
            enable_seqscan ¦ OF ¦ OK off
            enable_seqscan ¦ Tr ¦ OK on
            enable_seqscan ¦ y ¦ OK on
            enable_seqscan ¦ 1 ¦ OK on
            enable_seqscan ¦ 10 ¦ ERR 22023: parameter "enable_seqscan" requires a Boolean value
            enable_seqscan ¦ <empty> ¦ ERR 22023: parameter "enable_seqscan" requires a Boolean value
            enable_seqscan ¦  on ¦ ERR 22023: parameter "enable_seqscan" requires a Boolean value
            enable_seqscan ¦ on  ¦ ERR 22023: parameter "enable_seqscan" requires a Boolean value
            enable_seqscan ¦ TRUE ¦ OK on
            enable_seqscan ¦ yes ¦ OK on
            enable_seqscan ¦ N ¦ OK off
            enable_seqscan ¦ falsey ¦ ERR 22023: parameter "enable_seqscan" requires a Boolean value
            client_min_messages ¦ bogus ¦ ERR 22023: invalid value for parameter "client_min_messages": "bogus" | HINT Available values: debug5, debug4, debug3, debug2, debug1, log, notice, warning, error.
            client_min_messages ¦ info ¦ OK info
            client_min_messages ¦ debug ¦ OK debug2
            client_min_messages ¦ fatal ¦ ERR 22023: invalid value for parameter "client_min_messages": "fatal" | HINT Available values: debug5, debug4, debug3, debug2, debug1, log, notice, warning, error.
            client_min_messages ¦ WARNING ¦ OK warning
            log_min_messages ¦ bogus ¦ ERR 22023: invalid value for parameter "log_min_messages": "bogus" | HINT Available values: debug5, debug4, debug3, debug2, debug1, info, notice, warning, error, log, fatal, panic.
            log_min_messages ¦ Debug ¦ OK debug2
            log_min_error_statement ¦ panic ¦ OK panic
            wal_compression ¦ on ¦ OK pglz
            wal_compression ¦ true ¦ OK pglz
            wal_compression ¦ 0 ¦ OK off
            wal_compression ¦ bogus ¦ ERR 22023: invalid value for parameter "wal_compression": "bogus" | HINT Available values: pglz, lz4, zstd, on, off.
            wal_compression ¦ lz4 ¦ OK lz4
            synchronous_commit ¦ true ¦ OK on
            synchronous_commit ¦ bogus ¦ ERR 22023: invalid value for parameter "synchronous_commit": "bogus" | HINT Available values: local, remote_write, remote_apply, on, off.
            synchronous_commit ¦ remote_apply ¦ OK remote_apply
            backslash_quote ¦ yes ¦ OK on
            backslash_quote ¦ bogus ¦ ERR 22023: invalid value for parameter "backslash_quote": "bogus" | HINT Available values: safe_encoding, on, off.
            constraint_exclusion ¦ bogus ¦ ERR 22023: invalid value for parameter "constraint_exclusion": "bogus" | HINT Available values: partition, on, off.
            compute_query_id ¦ 1 ¦ OK on
            force_parallel_mode ¦ bogus ¦ ERR 22023: invalid value for parameter "force_parallel_mode": "bogus" | HINT Available values: off, on, regress.
            default_transaction_isolation ¦ bogus ¦ ERR 22023: invalid value for parameter "default_transaction_isolation": "bogus" | HINT Available values: serializable, repeatable read, read committed, read uncommitted.
            default_transaction_isolation ¦ SERIALIZABLE ¦ OK serializable
            default_transaction_isolation ¦ read  committed ¦ ERR 22023: invalid value for parameter "default_transaction_isolation": "read  committed" | HINT Available values: serializable, repeatable read, read committed, read uncommitted.
            bytea_output ¦ ESCAPE ¦ OK escape
            IntervalStyle ¦ bogus ¦ ERR 22023: invalid value for parameter "IntervalStyle": "bogus" | HINT Available values: postgres, postgres_verbose, sql_standard, iso_8601.
            IntervalStyle ¦ ISO_8601 ¦ OK iso_8601
            xmloption ¦ bogus ¦ ERR 22023: invalid value for parameter "xmloption": "bogus" | HINT Available values: content, document.
            xmlbinary ¦ bogus ¦ ERR 22023: invalid value for parameter "xmlbinary": "bogus" | HINT Available values: base64, hex.
            password_encryption ¦ on ¦ ERR 22023: invalid value for parameter "password_encryption": "on" | HINT Available values: md5, scram-sha-256.
            track_functions ¦ bogus ¦ ERR 22023: invalid value for parameter "track_functions": "bogus" | HINT Available values: none, pl, all.
            session_replication_role ¦ bogus ¦ ERR 22023: invalid value for parameter "session_replication_role": "bogus" | HINT Available values: origin, replica, local.
            stats_fetch_consistency ¦ bogus ¦ ERR 22023: invalid value for parameter "stats_fetch_consistency": "bogus" | HINT Available values: none, cache, snapshot.
            plan_cache_mode ¦ bogus ¦ ERR 22023: invalid value for parameter "plan_cache_mode": "bogus" | HINT Available values: auto, force_generic_plan, force_custom_plan.
            log_error_verbosity ¦ bogus ¦ ERR 22023: invalid value for parameter "log_error_verbosity": "bogus" | HINT Available values: terse, default, verbose.
            log_statement ¦ bogus ¦ ERR 22023: invalid value for parameter "log_statement": "bogus" | HINT Available values: none, ddl, mod, all.
            log_statement ¦ DDL ¦ OK ddl
            default_toast_compression ¦ bogus ¦ ERR 22023: invalid value for parameter "default_toast_compression": "bogus" | HINT Available values: pglz, lz4.
            DateStyle ¦ sql ¦ OK SQL, MDY
            DateStyle ¦ german ¦ OK German, DMY
            DateStyle ¦ iso, dmy ¦ OK ISO, DMY
            DateStyle ¦ postgres, euro ¦ OK Postgres, DMY
            DateStyle ¦ iso, sql ¦ ERR 22023: invalid value for parameter "DateStyle": "iso, sql" | DETAIL Conflicting "datestyle" specifications.
            DateStyle ¦ ymd, dmy ¦ ERR 22023: invalid value for parameter "DateStyle": "ymd, dmy" | DETAIL Conflicting "datestyle" specifications.
            DateStyle ¦ default ¦ OK ISO, MDY
            DateStyle ¦ iso, ¦ ERR 22023: invalid value for parameter "DateStyle": "iso," | DETAIL List syntax is invalid.
            DateStyle ¦ "iso" ¦ OK ISO, MDY
            DateStyle ¦ POSTGRESQL ¦ OK Postgres, MDY
            DateStyle ¦ US ¦ OK ISO, MDY
            DateStyle ¦ default, postgres ¦ OK Postgres, MDY
            DateStyle ¦ iso, "" ¦ ERR 22023: invalid value for parameter "DateStyle": "iso, \""" | DETAIL Unrecognized key word: "".
            DateStyle ¦ german, mdy ¦ OK German, MDY
            DateStyle ¦ mdy, german ¦ OK German, MDY
            DateStyle ¦   ISO  ,  YMD   ¦ OK ISO, YMD
            DateStyle ¦ iso ymd ¦ ERR 22023: invalid value for parameter "DateStyle": "iso ymd" | DETAIL List syntax is invalid.
            DateStyle ¦ foo ¦ ERR 22023: invalid value for parameter "DateStyle": "foo" | DETAIL Unrecognized key word: "foo".
            TimeZone ¦ europe/paris ¦ OK Europe/Paris
            TimeZone ¦ UTC ¦ OK UTC
            TimeZone ¦ utc ¦ OK UTC
            TimeZone ¦ EST5EDT ¦ OK EST5EDT
            TimeZone ¦ xyz+3 ¦ OK XYZ+3
            TimeZone ¦ <+03>-3 ¦ OK <+03>-3
            TimeZone ¦ -5 ¦ OK <-05>+05
            TimeZone ¦ 5.5 ¦ OK <+05:30>-05:30
            TimeZone ¦ Z ¦ ERR 22023: invalid value for parameter "TimeZone": "Z"
            TimeZone ¦ foo ¦ ERR 22023: invalid value for parameter "TimeZone": "foo"
            TimeZone ¦ US/Pacific ¦ OK US/Pacific
            TimeZone ¦ ab1 ¦ OK AB1
            TimeZone ¦ 1000 ¦ ERR 22023: invalid value for parameter "TimeZone": "1000" | DETAIL UTC timezone offset is out of range.
            TimeZone ¦ 100 ¦ OK <+100>-100
            TimeZone ¦ -15.5 ¦ OK <-15:30>+15:30
            TimeZone ¦ 1e1 ¦ OK <+10>-10
            TimeZone ¦  3 ¦ OK <+03>-03
            TimeZone ¦ EST5EDT4 ¦ OK EST5EDT4
            TimeZone ¦ XYZ ¦ ERR 22023: invalid value for parameter "TimeZone": "XYZ"
            TimeZone ¦ UTC+3 ¦ OK UTC+3
            TimeZone ¦ Etc/Utc ¦ OK Etc/UTC
            TimeZone ¦ America/New_york ¦ OK America/New_York
            TimeZone ¦ EST5EDT,M3.2.0,M11.1.0 ¦ OK EST5EDT,M3.2.0,M11.1.0
            TimeZone ¦ ABC167 ¦ OK ABC167
            TimeZone ¦ ABC168 ¦ ERR 22023: invalid value for parameter "TimeZone": "ABC168"
            TimeZone ¦ GMT0 ¦ OK GMT0
            TimeZone ¦ Asia/Kolkata ¦ OK Asia/Kolkata
            TimeZone ¦ <empty> ¦ ERR 22023: invalid value for parameter "TimeZone": ""
            client_encoding ¦ utf-8 ¦ OK UTF8
            client_encoding ¦ latin1 ¦ OK LATIN1
            client_encoding ¦ unicode ¦ OK UTF8
            client_encoding ¦ UNICODE ¦ OK UNICODE
            client_encoding ¦ iso_8859_1 ¦ OK LATIN1
            client_encoding ¦ win1252 ¦ OK WIN1252
            client_encoding ¦ sjis ¦ OK SJIS
            client_encoding ¦ foo ¦ ERR 22023: invalid value for parameter "client_encoding": "foo"
            client_encoding ¦ <empty> ¦ ERR 22023: invalid value for parameter "client_encoding": ""
            client_encoding ¦ Windows-1251 ¦ OK WIN1251
            client_encoding ¦ euc-jp ¦ OK EUC_JP
            client_encoding ¦ koi8 ¦ OK KOI8R
            application_name ¦ héllo\tx ¦ OK h??llo?x
            application_name ¦ plain ¦ OK plain
            lc_monetary ¦ POSIX ¦ OK POSIX
            lc_monetary ¦ <empty> ¦ OK <empty>
            lc_monetary ¦ C.UTF-8 ¦ OK C.UTF-8
            lc_monetary ¦ c ¦ ERR 22023: invalid value for parameter "lc_monetary": "c"
            lc_monetary ¦ xx_YY ¦ ERR 22023: invalid value for parameter "lc_monetary": "xx_YY"
            extra_float_digits ¦ 4 ¦ ERR 22023: 4 is outside the valid range for parameter "extra_float_digits" (-15 .. 3)
            extra_float_digits ¦ -15 ¦ OK -15
            extra_float_digits ¦ 3 ¦ OK 3
            max_stack_depth ¦ 10MB ¦ ERR 22023: invalid value for parameter "max_stack_depth": 10240 | DETAIL "max_stack_depth" must not exceed 7680kB. | HINT Increase the platform's stack depth limit via "ulimit -s" or local equivalent.
            max_stack_depth ¦ 7680kB ¦ OK 7680kB
            max_stack_depth ¦ 7681kB ¦ ERR 22023: invalid value for parameter "max_stack_depth": 7681 | DETAIL "max_stack_depth" must not exceed 7680kB. | HINT Increase the platform's stack depth limit via "ulimit -s" or local equivalent.
            max_stack_depth ¦ 99 ¦ ERR 22023: 99 kB is outside the valid range for parameter "max_stack_depth" (100 .. 2147483647)
            max_stack_depth ¦ 1MB ¦ OK 1MB
            timezone_abbreviations ¦ Foo ¦ ERR 22023: invalid value for parameter "timezone_abbreviations": "Foo"
            timezone_abbreviations ¦ default ¦ ERR 22023: invalid value for parameter "timezone_abbreviations": "default"
            timezone_abbreviations ¦ India ¦ OK India
            timezone_abbreviations ¦ <empty> ¦ ERR 22023: could not read time zone file "": Is a directory
            log_statement_sample_rate ¦ 1.5 ¦ ERR 22023: 1.5 is outside the valid range for parameter "log_statement_sample_rate" (0 .. 1)
            log_statement_sample_rate ¦ 0.5 ¦ OK 0.5
            commit_delay ¦ 100000 ¦ OK 100000
            commit_delay ¦ 1000000 ¦ ERR 22023: 1000000 is outside the valid range for parameter "commit_delay" (0 .. 100000)
            deadlock_timeout ¦ 1s ¦ OK 1s
            deadlock_timeout ¦ 0 ¦ ERR 22023: 0 ms is outside the valid range for parameter "deadlock_timeout" (1 .. 2147483647)
            array_nulls ¦ off ¦ OK off
            vacuum_freeze_min_age ¦ 2000000000 ¦ ERR 22023: 2000000000 is outside the valid range for parameter "vacuum_freeze_min_age" (0 .. 1000000000)
            vacuum_freeze_min_age ¦ 1e9 ¦ OK 1000000000
            myapp.x ¦ hello ¦ OK hello
            nosuch ¦ 1 ¦ ERR 42704: unrecognized configuration parameter "nosuch"
            sort_mem ¦ 1MB ¦ OK 1MB
            """;

    static Stream<Arguments> cases() {
        List<Arguments> list = new ArrayList<>();
        for (String line : OBSERVED.strip().split("\n")) {
            String[] f = line.strip().split(" ¦ ", -1);
            String value = f[1].equals("<empty>") ? "" : f[1].replace("\\t", "\t");
            String expected = f[2].equals("OK <empty>") ? "OK " : f[2];
            list.add(Arguments.of(f[0], value, expected));
        }
        return list.stream();
    }

    @ParameterizedTest(name = "SET {0} = ''{1}''")
    @MethodSource("cases")
    void matchesPostgres(String name, String value, String expected) {
        assertEquals(expected, answer(name, value));
    }

    /** What Modgres answers, in the form the observations were written down. */
    static String answer(String name, String value) {
        GucValues.Current defaults = n -> {
            Def d = GucDefinitions.find(n);
            String dyn = GucDefinitions.dynamicDefaults().get(n);
            return d == null ? null : dyn != null ? GucValues.rawFromConfigString(d, dyn) : d.bootRaw();
        };
        try {
            Def d = GucDefinitions.find(name);
            if (d == null) {
                if (name.indexOf('.') >= 0 && GucSettings.validCustomName(name)) {
                    return "OK " + value;
                }
                throw new PgException("42704", "unrecognized configuration parameter \"" + name + "\"");
            }
            return "OK " + GucValues.show(d, GucValues.parse(d, name, value, defaults), defaults);
        } catch (PgException e) {
            return "ERR " + e.sqlState() + ": " + e.getMessage() + (e.detail() != null ? " | DETAIL " + e.detail() : "")
                    + (e.hint() != null ? " | HINT " + e.hint() : "");
        }
    }
}
