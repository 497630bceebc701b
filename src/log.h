/* log.h - one line per event on stderr, key=value fields. */
#ifndef TG_LOG_H
#define TG_LOG_H

#include <stdarg.h>

enum { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

void	log_init(const char *prog);
void	log_msg(int level, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	fatal(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#define log_err(...)	log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...)	log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
