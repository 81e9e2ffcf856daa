/* linli-timeout-warning.h: the countdown before a quiet session ends. */
#pragma once

#include <gtk/gtk.h>

#include "linli-session.h"

G_BEGIN_DECLS

#define LINLI_TYPE_TIMEOUT_WARNING (linli_timeout_warning_get_type ())
G_DECLARE_FINAL_TYPE (LinliTimeoutWarning, linli_timeout_warning, LINLI, TIMEOUT_WARNING, GtkBox)

LinliTimeoutWarning *linli_timeout_warning_new (LinliSession *session);
char *linli_timeout_warning_get_announcement (LinliTimeoutWarning *self);
void linli_timeout_warning_focus (LinliTimeoutWarning *self);

G_END_DECLS
