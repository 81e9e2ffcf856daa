/* linli-window.h: the kiosk's only window. */
#pragma once

#include <gtk/gtk.h>

#include "linli-kiosk-app.h"
#include "linli-kiosk.h"
#include "linli-maintenance-page.h"

G_BEGIN_DECLS

#define LINLI_TYPE_WINDOW (linli_window_get_type ())
G_DECLARE_FINAL_TYPE (LinliWindow, linli_window, LINLI, WINDOW, GtkApplicationWindow)

LinliWindow *linli_window_new (LinliKioskApp *application,
                               LinliKiosk *kiosk,
                               gboolean report_first_frame);
/* The USB inventory for the maintenance page (see linli-maintenance-page.h). */
void linli_window_set_usb_model (LinliWindow *self,
                                 GListModel *model,
                                 LinliUsbDescribeFunc describe);

/* The camera screen (issue 7). @done hears how it ended (Done / Use this
 * photo: TRUE; Cancel / I do not agree: FALSE), with the pages or the
 * photo in the session (linli_kiosk_get_capture()); the capture screen is
 * still shown then: show the next screen, or linli_window_show_capture_result(). */
typedef void (*LinliWindowCaptureDone) (LinliWindow *window,
                                        gboolean completed,
                                        gpointer user_data);
gboolean linli_window_capture_document (LinliWindow *self,
                                        const char *item_code,
                                        guint index,
                                        LinliWindowCaptureDone done,
                                        gpointer user_data);
void linli_window_capture_photo (LinliWindow *self,
                                 LinliWindowCaptureDone done,
                                 gpointer user_data);
void linli_window_show_capture_result (LinliWindow *self, const char *title, const char *note);

/* Staff sign-in (帮办人员登录). @done hears how it ended: TRUE after a
 * sign-in, FALSE when left with Back; the staff screen is still shown
 * then: show the next screen. Without @done the screen returns home. */
typedef void (*LinliWindowStaffDone) (LinliWindow *self, gboolean signed_in, gpointer user_data);
void linli_window_sign_in_staff (LinliWindow *self, LinliWindowStaffDone done, gpointer user_data);

G_END_DECLS
