/* linli-help-page.h: where to find staff. */
#pragma once

#include <gtk/gtk.h>

#include "linli-page.h"

#include "linli-kiosk.h"

G_BEGIN_DECLS

#define LINLI_TYPE_HELP_PAGE (linli_help_page_get_type ())
G_DECLARE_FINAL_TYPE (LinliHelpPage, linli_help_page, LINLI, HELP_PAGE, LinliPage)

LinliHelpPage *linli_help_page_new (LinliKiosk *kiosk);

G_END_DECLS
