/* hop.h - where a terminal request for another node's session goes. */
#ifndef TG_HOP_H
#define TG_HOP_H

#include <stddef.h>

struct tg_cfg;

#define HOP_URL_MAX	(sizeof("https://") + 256)

/*
 * The URL ("http://HOST:PORT" or, with node_tls, "https://HOST:PORT")
 * of NODE's internal terminal listener into URL, from CFG and ROW (the
 * address NODE's own supervisors row gives, "" when none): the address
 * node_addresses pins for NODE when that key is set, whatever the row
 * says; the row's only when nothing is pinned and node_tls is on (nginx
 * then checks that the certificate there names NODE). 0, with *NOTE
 * what the log should say (the row disagrees with the pin; static) or
 * NULL; or -1 with *WHY the refusal (static): NODE is not pinned, or
 * nothing verifies the row, or there is no address at all.
 */
int	hop_route(const struct tg_cfg *cfg, const char *node, const char *row,
	    char *url, size_t len, const char **note, const char **why);
/*
 * Whether the host of ADDRESS (HOST:PORT, as node_address) is a
 * loopback address: 127.0.0.0/8, [::1] or localhost. Cannot fail.
 */
int	hop_loopback(const char *address);

#endif
