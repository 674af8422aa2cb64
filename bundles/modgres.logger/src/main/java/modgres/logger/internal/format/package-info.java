/**
 * PostgreSQL 15's server log formats as pure functions: log_line_prefix,
 * the stderr, csvlog and jsonlog record formats, log time stamps with tz
 * database abbreviations, and strftime() for log_filename. Not exported.
 */
package modgres.logger.internal.format;
