/**
 * PostgreSQL's background writer: every bgwriter_delay it has the buffer
 * pool write dirty buffers ahead of the clock hand, so that backends find
 * clean victims; it hibernates when nothing is being allocated.
 */
package modgres.bgwriter;
