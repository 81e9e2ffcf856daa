/* linli-spoken.h: dynamic values (amounts, numbers, ID numbers, dates,
 * times) written the way espeak-ng reads them correctly to a listener, and
 * text cleaned of what it cannot say. See docs/spoken-values.md.
 *
 * language is a kiosk language: anything starting with "en" gives English,
 * everything else (NULL included) Mandarin. Every function returns a newly
 * allocated UTF-8 string. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *linli_spoken_number (gint64 n, const char *language);
char *linli_spoken_amount (gint64 fen, const char *language);
char *linli_spoken_digits (const char *digits, const char *language);
char *linli_spoken_date (int year, int month, int day, const char *language);
char *linli_spoken_time (int hour, int minute, const char *language);

char *linli_spoken_sanitize (const char *text, guint *n_skipped);
gboolean linli_spoken_han_is_readable (gunichar c);

G_END_DECLS
