/* linli-window.c
 *
 * The window shows what LinliKiosk holds: the session state picks the
 * attract screen or the resident's screens, the countdown warning overlays
 * everything, and the accessibility bar sits under every screen. All buttons
 * go through "kiosk.*" actions so that touch, keypad and AT-SPI take the same
 * path. Switching the language rebuilds the screens from their templates,
 * which is how GtkBuilder picks up the new translations.
 */
#define G_LOG_DOMAIN "linli-window"

#include "linli-window.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "linli-a11y-bar.h"
#include "linli-attract-page.h"
#include "linli-capture-page.h"
#include "linli-form-page.h"
#include "linli-help-page.h"
#include "linli-home-page.h"
#include "linli-maintenance-mode.h"
#include "linli-maintenance-page.h"
#include "linli-page.h"
#include "linli-pin-page.h"
#include "linli-service-page.h"
#include "linli-staff-page.h"
#include "linli-timeout-warning.h"

struct _LinliWindow
{
  GtkApplicationWindow parent_instance;

  GtkOverlay *overlay;
  GtkBox *content;
  GtkStack *stack;

  LinliKiosk *kiosk;
  LinliSession *session;

  LinliAttractPage *attract;
  LinliHomePage *home;
  LinliServicePage *service;
  LinliHelpPage *help;
  LinliA11yBar *bar;
  LinliTimeoutWarning *warning;

  char *page;                     /* name of the screen shown */
  char *service_code;             /* the tile the service screen shows */
  LinliServiceTile *service_tile; /* the same tile */

  guint announce_id;     /* idle source reading the new screen */
  gboolean key_input;    /* the last input was a key: keypad user */
  gboolean warning_said; /* the countdown warning was announced */
  gboolean quiet_focus;  /* focus moved by the kiosk, spoken later */

  GtkCssProvider *scale_css;
  gboolean report_first_frame;
  gboolean first_frame_reported;
  gboolean screen_pending; /* a new screen waits for its first frame */
  gulong after_paint_id;

  /* Maintenance mode: the PIN pad, the maintenance page, the hidden entry
   * (taps in the top-left corner) and the USB inventory shown there. */
  LinliPinPage *pin;
  LinliMaintenancePage *maintenance;
  GListModel *usb_model;
  LinliUsbDescribeFunc usb_describe;
  guint corner_taps;
  gint64 first_tap_us;

  /* The camera screen and who asked for it (item_code NULL: the photo). */
  LinliCapturePage *capture_page;
  LinliWindowCaptureDone capture_done;
  gpointer capture_data;
  char *capture_item;
  guint capture_index;

  /* An application being filled: its form (values in the session). */
  LinliFormPage *form_page;
  LinliForm *form;
  /* Staff sign-in and who asked for it (NULL: the home page's button). */
  LinliStaffPage *staff;
  LinliWindowStaffDone staff_done;
  gpointer staff_data;
};

G_DEFINE_FINAL_TYPE (LinliWindow, linli_window, GTK_TYPE_APPLICATION_WINDOW)

static void show_page (LinliWindow *self, const char *page);

static char *
page_title (LinliWindow *self, const char *page)
{
  if (g_str_equal (page, "home"))
    return g_strdup (_ ("Home"));
  if (g_str_equal (page, "help"))
    return g_strdup (_ ("Help"));
  if (g_str_equal (page, "pin"))
    return g_strdup (_ ("Maintainer PIN"));
  if (g_str_equal (page, "maintenance"))
    return g_strdup (_ ("Maintenance"));
  if (g_str_equal (page, "staff"))
    return g_strdup (_ ("Staff sign-in"));
  if (g_str_equal (page, "capture") && self->capture_page != NULL
      && linli_capture_page_get_title (self->capture_page) != NULL)
    return g_strdup (linli_capture_page_get_title (self->capture_page));
  if (g_str_equal (page, "service") && self->service_tile != NULL)
    return g_strdup (
        linli_service_tile_get_title (self->service_tile, linli_kiosk_get_language (self->kiosk)));
  if (g_str_equal (page, "form") && self->service_tile != NULL)
    /* TRANSLATORS: the title of the form screen; %s is the service item */
    return g_strdup_printf (
        _ ("Fill in: %s"),
        linli_service_tile_get_title (self->service_tile, linli_kiosk_get_language (self->kiosk)));
  return g_strdup (_ ("Welcome"));
}

/* The window title names the screen: screen readers and the AT-SPI tests
 * read it to know where they are. */
static void
update_title (LinliWindow *self)
{
  g_autofree char *name = page_title (self, self->page);
  g_autofree char *title = g_strdup_printf ("%s · %s", _ ("Linli"), name);

  gtk_window_set_title (GTK_WINDOW (self), title);
}

static LinliPage *
current_page (LinliWindow *self)
{
  GtkWidget *child = gtk_stack_get_visible_child (self->stack);

  return LINLI_IS_PAGE (child) ? LINLI_PAGE (child) : NULL;
}

/* Keypad users hear each control as they reach it; touch users already see
 * what they touched, and would hear it cut off by the next screen. */
static void
speak_focus (LinliWindow *self)
{
  GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (self));
  g_autofree char *speech = NULL;

  if (focus == NULL || !self->key_input)
    return;
  speech = linli_widget_get_speech (focus);
  linli_kiosk_speak (self->kiosk, speech, LINLI_VOICE_PRIORITY_FOCUS);
}

static void
announce_page (LinliWindow *self)
{
  LinliPage *page = current_page (self);

  if (page == NULL)
    return;
  if (LINLI_IS_HOME_PAGE (page) && linli_kiosk_get_identity (self->kiosk) != NULL)
    {
      /* The greeting: the whole name only into headphones, the masked one
       * (read 王某明) on the loudspeaker. */
      g_autofree char *full = linli_home_page_dup_greeting (LINLI_HOME_PAGE (page), TRUE);
      g_autofree char *masked = linli_home_page_dup_greeting (LINLI_HOME_PAGE (page), FALSE);
      g_autofree char *private_text
          = g_strjoin (_ ("; "), full, linli_page_get_announcement (page), NULL);
      g_autofree char *public_text
          = g_strjoin (_ ("; "), masked, linli_page_get_announcement (page), NULL);

      linli_kiosk_speak_private (self->kiosk, private_text, public_text,
                                 LINLI_VOICE_PRIORITY_SCREEN);
    }
  else
    linli_kiosk_speak (self->kiosk, linli_page_get_announcement (page),
                       LINLI_VOICE_PRIORITY_SCREEN);
  speak_focus (self);
}

/* A screen is read once everything caused by the same event has settled:
 * a session that ends resets the language and the voice after the screen
 * has already changed. */
static gboolean
announce_idle (gpointer user_data)
{
  LinliWindow *self = user_data;

  self->announce_id = 0;
  announce_page (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_announcement (LinliWindow *self)
{
  if (self->announce_id == 0)
    self->announce_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, announce_idle, self, NULL);
}

static void
show_page (LinliWindow *self, const char *page)
{
  GtkWidget *target = gtk_stack_get_child_by_name (self->stack, page);

  /* The maintenance screens are read afresh each time they appear. */
  if (g_str_equal (page, "pin"))
    linli_pin_page_reset (self->pin);
  else if (g_str_equal (page, "maintenance"))
    linli_maintenance_page_refresh (self->maintenance);
  else if (g_str_equal (page, "staff"))
    linli_staff_page_reset (self->staff);
  g_free (self->page);
  self->page = g_strdup (page);

  gtk_widget_set_visible (target, TRUE);
  gtk_stack_set_visible_child (self->stack, target);
  /* Keypad users start from the first control of the new screen; it is
   * spoken after the screen itself. The focus moves before the old screen
   * is hidden: hiding the focused widget makes GTK move the focus on by one
   * more step later, past the first control. */
  self->quiet_focus = TRUE;
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_widget_child_focus (target, GTK_DIR_TAB_FORWARD);
  self->quiet_focus = FALSE;
  /* Only the shown screen stays visible: a hidden GtkStack page would still
   * be in the accessibility tree and a screen reader would read it. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->stack)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (child != target)
      gtk_widget_set_visible (child, FALSE);
  update_title (self);
  self->screen_pending = TRUE;
  linli_a11y_bar_set_in_session (self->bar, linli_session_get_state (self->session)
                                                != LINLI_SESSION_STATE_IDLE);
  schedule_announcement (self);
}

static gboolean start_journey (LinliWindow *self, LinliServiceTile *tile);

static void
show_service (LinliWindow *self, const char *code)
{
  g_autoptr (LinliServiceTile) tile = linli_kiosk_find_tile (self->kiosk, code);

  if (tile == NULL)
    return;
  if (linli_service_tile_get_flow (tile) == LINLI_SERVICE_FLOW_CALL_STAFF)
    {
      linli_kiosk_call_staff (self->kiosk);
      show_page (self, "help");
      return;
    }
  g_free (self->service_code);
  self->service_code = g_strdup (code);
  g_set_object (&self->service_tile, tile);
  if (start_journey (self, tile))
    return;
  linli_service_page_set_tile (self->service, tile);
  show_page (self, "service");
}

static void
on_capture_finished (LinliWindow *self, gboolean completed)
{
  LinliWindowCaptureDone done = self->capture_done;

  self->capture_done = NULL;
  if (done != NULL)
    done (self, completed, self->capture_data);
}

static void on_form_fields_done (LinliWindow *self);
static void on_form_confirmed (LinliWindow *self);
static void on_form_cancelled (LinliWindow *self);

static void
on_staff_finished (LinliWindow *self, gboolean signed_in)
{
  LinliWindowStaffDone done = self->staff_done;

  self->staff_done = NULL;
  if (done != NULL)
    done (self, signed_in, self->staff_data);
  else
    show_page (self, "home");
}

static void
build_screens (LinliWindow *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->stack))) != NULL)
    gtk_stack_remove (self->stack, child);
  if (self->bar != NULL)
    gtk_box_remove (self->content, GTK_WIDGET (self->bar));
  if (self->warning != NULL)
    gtk_overlay_remove_overlay (self->overlay, GTK_WIDGET (self->warning));

  self->attract = linli_attract_page_new (self->kiosk);
  self->home = linli_home_page_new (self->kiosk);
  self->service = linli_service_page_new (self->kiosk);
  self->help = linli_help_page_new (self->kiosk);
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->attract), "attract");
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->home), "home");
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->service), "service");
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->help), "help");
  self->pin = linli_pin_page_new (self->kiosk);
  self->maintenance = linli_maintenance_page_new (self->kiosk);
  linli_maintenance_page_set_usb_model (self->maintenance, self->usb_model, self->usb_describe);
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->pin), "pin");
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->maintenance), "maintenance");
  self->capture_page = linli_capture_page_new (self->kiosk);
  g_signal_connect_swapped (self->capture_page, "finished", G_CALLBACK (on_capture_finished), self);
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->capture_page), "capture");
  self->form_page = linli_form_page_new (self->kiosk);
  g_signal_connect_swapped (self->form_page, "fields-done", G_CALLBACK (on_form_fields_done), self);
  g_signal_connect_swapped (self->form_page, "confirmed", G_CALLBACK (on_form_confirmed), self);
  g_signal_connect_swapped (self->form_page, "cancelled", G_CALLBACK (on_form_cancelled), self);
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->form_page), "form");
  self->staff = linli_staff_page_new (self->kiosk);
  g_signal_connect_swapped (self->staff, "finished", G_CALLBACK (on_staff_finished), self);
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->staff), "staff");

  self->bar = linli_a11y_bar_new (self->kiosk);
  gtk_box_append (self->content, GTK_WIDGET (self->bar));

  self->warning = linli_timeout_warning_new (self->session);
  gtk_widget_set_visible (GTK_WIDGET (self->warning),
                          linli_session_get_state (self->session) == LINLI_SESSION_STATE_WARNING);
  gtk_overlay_add_overlay (self->overlay, GTK_WIDGET (self->warning));
}

static void
on_language_changed (LinliWindow *self)
{
  g_autofree char *page = g_strdup (self->page != NULL ? self->page : "attract");

  build_screens (self);
  /* The camera screen starts again in the new language; the pages taken
   * are the session's and stay. */
  if (g_str_equal (page, "capture") && self->capture_done != NULL)
    {
      if (self->capture_item != NULL)
        linli_window_capture_document (self, self->capture_item, self->capture_index,
                                       self->capture_done, self->capture_data);
      else
        linli_window_capture_photo (self, self->capture_done, self->capture_data);
    }
  else if (g_str_equal (page, "service") && self->service_code != NULL)
    show_service (self, self->service_code);
  else if (g_str_equal (page, "form") && self->form != NULL && self->service_tile != NULL)
    {
      /* From the first question again, each answer kept. */
      linli_form_page_show_field (
          self->form_page, self->form,
          linli_service_tile_get_title (self->service_tile, linli_kiosk_get_language (self->kiosk)),
          0);
      show_page (self, "form");
    }
  else
    show_page (self, page);
}

static void
on_presentation_changed (LinliWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  int size = linli_kiosk_get_text_size (self->kiosk);

  for (int i = 1; i <= 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("text-size-%d", i);
      if (i == size)
        gtk_widget_add_css_class (widget, name);
      else
        gtk_widget_remove_css_class (widget, name);
    }
  if (linli_kiosk_get_high_contrast (self->kiosk))
    gtk_widget_add_css_class (widget, "high-contrast");
  else
    gtk_widget_remove_css_class (widget, "high-contrast");
}

static void
on_session_state (LinliWindow *self)
{
  LinliSessionState state = linli_session_get_state (self->session);

  gtk_widget_set_visible (GTK_WIDGET (self->warning), state == LINLI_SESSION_STATE_WARNING);
  switch (state)
    {
    case LINLI_SESSION_STATE_IDLE:
      self->warning_said = FALSE;
      g_clear_pointer (&self->service_code, g_free);
      g_clear_object (&self->service_tile);
      /* The session wiped the answers; the screen lets go of its copies. */
      linli_form_page_clear (self->form_page);
      g_clear_object (&self->form);
      /* Whoever asked for a sign-in belonged to the visit that ended. */
      self->staff_done = NULL;
      if (linli_maintenance_mode_get_active (linli_kiosk_get_maintenance (self->kiosk)))
        break;
      show_page (self, "attract");
      break;
    case LINLI_SESSION_STATE_WARNING:
      {
        g_autofree char *alert = linli_timeout_warning_get_announcement (self->warning);

        self->quiet_focus = TRUE;
        linli_timeout_warning_focus (self->warning);
        self->quiet_focus = FALSE;
        linli_kiosk_speak (self->kiosk, alert, LINLI_VOICE_PRIORITY_ALERT);
        self->warning_said = TRUE;
      }
      break;
    case LINLI_SESSION_STATE_ACTIVE:
    default:
      linli_a11y_bar_set_in_session (self->bar, TRUE);
      /* Back from the warning: the resident hears where they are again. */
      if (self->warning_said)
        {
          self->warning_said = FALSE;
          linli_kiosk_stop_speaking (self->kiosk);
          schedule_announcement (self);
        }
      break;
    }
}

static void
on_focus_widget (LinliWindow *self)
{
  if (!self->quiet_focus)
    speak_focus (self);
}

/* Any touch, click or key during a session restarts its quiet time. */
static gboolean
on_input_event (GtkEventControllerLegacy *controller, GdkEvent *event, gpointer user_data)
{
  LinliWindow *self = user_data;

  switch (gdk_event_get_event_type (event))
    {
    case GDK_KEY_PRESS:
      /* Modifier keys alone do nothing, so they do not interrupt. */
      if (gdk_key_event_is_modifier (event))
        break;
      self->key_input = TRUE;
      /* Any key interrupts speech, as on EZ Access kiosks: the key's own
       * effect (a new focus, a new screen) speaks next. */
      linli_kiosk_stop_speaking (self->kiosk);
      linli_kiosk_user_activity (self->kiosk);
      break;
    case GDK_BUTTON_PRESS:
    case GDK_TOUCH_BEGIN:
      self->key_input = FALSE;
      linli_kiosk_stop_speaking (self->kiosk);
      linli_kiosk_user_activity (self->kiosk);
      break;
    case GDK_SCROLL:
      linli_kiosk_user_activity (self->kiosk);
      break;
    default:
      break;
    }
  return GDK_EVENT_PROPAGATE;
}

/* The keypad keys (EZ Access style). A USB numeric keypad has no arrows
 * while Num Lock is on, so its 8/4/6/2 move and 5 chooses, except where a
 * field takes digits. Plain keyboards use their own arrows, Tab and Enter,
 * which GTK handles itself. */
static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint keyval,
                guint keycode,
                GdkModifierType state,
                gpointer user_data)
{
  LinliWindow *self = user_data;
  GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (self));
  gboolean typing = focus != NULL && GTK_IS_EDITABLE (focus);
  const char *action = NULL;

  /* GTK's inspector (Ctrl+Shift+I or D) would hand anyone at the screen
   * the whole widget tree and a CSS editor: swallowed before GtkWindow's
   * own shortcuts see them, unless a developer asks for it. */
  if ((state & (GDK_CONTROL_MASK | GDK_SHIFT_MASK)) == (GDK_CONTROL_MASK | GDK_SHIFT_MASK)
      && (keyval == GDK_KEY_I || keyval == GDK_KEY_i || keyval == GDK_KEY_D || keyval == GDK_KEY_d)
      && g_strcmp0 (g_getenv ("LINLI_DEBUG_INSPECTOR"), "1") != 0)
    return GDK_EVENT_STOP;
  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0)
    return GDK_EVENT_PROPAGATE;
  if (g_strcmp0 (self->page, "pin") == 0 && linli_pin_page_handle_key (self->pin, keyval))
    return GDK_EVENT_STOP;
  if (g_strcmp0 (self->page, "staff") == 0 && linli_staff_page_handle_key (self->staff, keyval))
    return GDK_EVENT_STOP;

  switch (keyval)
    {
    case GDK_KEY_F1:
    case GDK_KEY_Help:
      action = "kiosk.explain";
      break;
    case GDK_KEY_KP_Multiply:
    case GDK_KEY_asterisk:
    case GDK_KEY_question:
      action = typing ? NULL : "kiosk.explain";
      break;
    case GDK_KEY_Escape:
    case GDK_KEY_Back:
      action = "kiosk.back";
      break;
    case GDK_KEY_KP_Subtract:
    case GDK_KEY_minus:
    case GDK_KEY_BackSpace:
      action = typing ? NULL : "kiosk.back";
      break;
    case GDK_KEY_KP_Divide:
    case GDK_KEY_slash:
    case GDK_KEY_F2:
      action = typing ? NULL : "kiosk.repeat";
      break;
    case GDK_KEY_KP_Add:
    case GDK_KEY_plus:
    case GDK_KEY_equal:
      action = typing ? NULL : "kiosk.volume";
      break;
    case GDK_KEY_KP_8:
    case GDK_KEY_KP_2:
    case GDK_KEY_KP_4:
    case GDK_KEY_KP_6:
      if (typing)
        return GDK_EVENT_PROPAGATE;
      g_signal_emit_by_name (self, "move-focus",
                             keyval == GDK_KEY_KP_8   ? GTK_DIR_UP
                             : keyval == GDK_KEY_KP_2 ? GTK_DIR_DOWN
                             : keyval == GDK_KEY_KP_4 ? GTK_DIR_LEFT
                                                      : GTK_DIR_RIGHT);
      return GDK_EVENT_STOP;
    case GDK_KEY_KP_5:
      if (typing || focus == NULL)
        return GDK_EVENT_PROPAGATE;
      gtk_widget_activate (focus);
      return GDK_EVENT_STOP;
    default:
      break;
    }
  if (action == NULL)
    return GDK_EVENT_PROPAGATE;
  gtk_widget_activate_action (GTK_WIDGET (self), action, NULL);
  return GDK_EVENT_STOP;
}

/* Residents cannot close the kiosk; only SIGTERM (systemd) ends it. */
static gboolean
on_close_request (GtkWindow *window)
{
  return TRUE;
}

/* Text sizes are set for a 1080-line screen; other screens scale them so a
 * letter has the same height on every panel size. */
static void
update_scale (LinliWindow *self)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (self));
  GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (self));
  GdkMonitor *monitor
      = surface != NULL ? gdk_display_get_monitor_at_surface (display, surface) : NULL;
  GdkRectangle geometry = { 0, 0, 1920, 1080 };
  g_autofree char *css = NULL;
  double scale;

  if (monitor != NULL)
    gdk_monitor_get_geometry (monitor, &geometry);
  scale = CLAMP (MIN (geometry.height / 1080.0, geometry.width / 1920.0), 0.5, 2.0);
  css = g_strdup_printf ("window.linli.text-size-1 { font-size: %.1fpx; }\n"
                         "window.linli.text-size-2 { font-size: %.1fpx; }\n"
                         "window.linli.text-size-3 { font-size: %.1fpx; }\n"
                         /* The bar keeps the first size: its buttons must
                          * stay on one line at every level. */
                         "window.linli .a11y-bar { font-size: %.1fpx; }\n",
                         32 * scale, 40 * scale, 48 * scale, 32 * scale);
  gtk_css_provider_load_from_data (self->scale_css, css, -1);
}

/* --report-first-frame: the benchmarks read these lines. The first frame
 * measures start-up; a screen's first frame and the first sound of its
 * announcement measure how soon speech follows what is shown. */
static void
on_after_paint (GdkFrameClock *clock, LinliWindow *self)
{
  if (!self->first_frame_reported)
    {
      self->first_frame_reported = TRUE;
      g_print ("first-frame-realtime-us=%" G_GINT64_FORMAT "\n", g_get_real_time ());
    }
  if (self->screen_pending)
    {
      self->screen_pending = FALSE;
      g_print ("screen-shown-realtime-us=%" G_GINT64_FORMAT " screen=%s\n", g_get_real_time (),
               self->page);
    }
  fflush (stdout);
}

static void
on_speech_started (LinliWindow *self)
{
  g_print ("speech-started-realtime-us=%" G_GINT64_FORMAT "\n", g_get_real_time ());
  fflush (stdout);
}

static void
linli_window_realize (GtkWidget *widget)
{
  LinliWindow *self = LINLI_WINDOW (widget);

  GTK_WIDGET_CLASS (linli_window_parent_class)->realize (widget);

  update_scale (self);
  if (self->report_first_frame)
    self->after_paint_id = g_signal_connect (gtk_widget_get_frame_clock (widget), "after-paint",
                                             G_CALLBACK (on_after_paint), self);
}

static void
linli_window_unrealize (GtkWidget *widget)
{
  LinliWindow *self = LINLI_WINDOW (widget);

  g_clear_signal_handler (&self->after_paint_id, gtk_widget_get_frame_clock (widget));
  GTK_WIDGET_CLASS (linli_window_parent_class)->unrealize (widget);
}

/* Actions. Each one also counts as activity, so a keypad or screen-reader
 * user keeps the session alive exactly as a touch does. */

static void
action_start (GtkWidget *widget, const char *name, GVariant *param)
{
  LinliWindow *self = LINLI_WINDOW (widget);

  linli_kiosk_start_session (self->kiosk);
  show_page (self, "home");
}

static void
action_home (GtkWidget *widget, const char *name, GVariant *param)
{
  LinliWindow *self = LINLI_WINDOW (widget);

  linli_kiosk_user_activity (self->kiosk);
  show_page (self, "home");
}

static void
action_open_service (GtkWidget *widget, const char *name, GVariant *param)
{
  LinliWindow *self = LINLI_WINDOW (widget);

  linli_kiosk_user_activity (self->kiosk);
  show_service (self, g_variant_get_string (param, NULL));
}

static void
action_help (GtkWidget *widget, const char *name, GVariant *param)
{
  LinliWindow *self = LINLI_WINDOW (widget);

  /* Asking for help starts a session so the screen still times out. */
  linli_kiosk_start_session (self->kiosk);
  linli_kiosk_call_staff (self->kiosk);
  show_page (self, "help");
}

static void
action_finish (GtkWidget *widget, const char *name, GVariant *param)
{
  linli_kiosk_finish_session (LINLI_WINDOW (widget)->kiosk);
}

/* The visit is over but the social-security card is still in its slot:
 * the resident hears and reads that it is there. */
static void
on_take_card (LinliWindow *self)
{
  const char *reminder = _ ("Please take your card with you.");

  linli_attract_page_show_notice (self->attract, reminder);
  linli_kiosk_speak (self->kiosk, reminder, LINLI_VOICE_PRIORITY_ALERT);
}

/* A card arrived: the visit starts (or, started without a card, goes on)
 * on the services screen with the greeting. */
static void
on_identity_changed (LinliWindow *self)
{
  if (linli_kiosk_get_identity (self->kiosk) == NULL)
    return;
  linli_attract_page_show_notice (self->attract, NULL);
  if (g_strcmp0 (self->page, "attract") == 0 || g_strcmp0 (self->page, "home") == 0)
    show_page (self, "home");
  /* An item that was waiting for the card goes on by itself. */
  else if (g_strcmp0 (self->page, "service") == 0 && self->service_tile != NULL
           && linli_service_tile_get_flow (self->service_tile) == LINLI_SERVICE_FLOW_ITEM)
    {
      g_autoptr (LinliServiceTile) tile = g_object_ref (self->service_tile);
      start_journey (self, tile);
    }
}

static void
on_card_problem (LinliWindow *self, const char *message)
{
  if (g_strcmp0 (self->page, "attract") == 0)
    linli_attract_page_show_notice (self->attract, message);
  linli_kiosk_speak (self->kiosk, message, LINLI_VOICE_PRIORITY_ALERT);
}

static void
action_continue (GtkWidget *widget, const char *name, GVariant *param)
{
  linli_kiosk_user_activity (LINLI_WINDOW (widget)->kiosk);
}

static void
action_more_time (GtkWidget *widget, const char *name, GVariant *param)
{
  linli_kiosk_more_time (LINLI_WINDOW (widget)->kiosk);
}

static void
action_text_size (GtkWidget *widget, const char *name, GVariant *param)
{
  LinliKiosk *kiosk = LINLI_WINDOW (widget)->kiosk;

  linli_kiosk_user_activity (kiosk);
  linli_kiosk_set_text_size (kiosk, linli_kiosk_get_text_size (kiosk) % 3 + 1);
}

static void
action_contrast (GtkWidget *widget, const char *name, GVariant *param)
{
  LinliKiosk *kiosk = LINLI_WINDOW (widget)->kiosk;

  linli_kiosk_user_activity (kiosk);
  linli_kiosk_set_high_contrast (kiosk, !linli_kiosk_get_high_contrast (kiosk));
}

static void
action_voice (GtkWidget *widget, const char *name, GVariant *param)
{
  LinliWindow *self = LINLI_WINDOW (widget);
  LinliKiosk *kiosk = self->kiosk;

  linli_kiosk_user_activity (kiosk);
  /* Without a working voice the button asks the device again: a speaker
   * plugged back in is found without a restart. */
  if (!linli_kiosk_get_voice_available (kiosk))
    {
      linli_kiosk_refresh_devices (kiosk);
      return;
    }
  linli_kiosk_set_voice_enabled (kiosk, !linli_kiosk_get_voice_enabled (kiosk));
  if (linli_kiosk_get_voice_enabled (kiosk))
    {
      linli_kiosk_speak (kiosk, _ ("Voice on."), LINLI_VOICE_PRIORITY_SCREEN);
      announce_page (self);
    }
}

/* The help key: how this screen works, then the keys. */
static void
action_explain (GtkWidget *widget, const char *name, GVariant *param)
{
  LinliWindow *self = LINLI_WINDOW (widget);
  LinliPage *page = current_page (self);
  g_autofree char *text = NULL;

  if (linli_session_get_state (self->session) == LINLI_SESSION_STATE_WARNING)
    page = NULL;
  text = g_strjoin (
      " ", page != NULL && linli_page_get_help (page) != NULL ? linli_page_get_help (page) : "",
      _ ("To move, use the arrow keys or Tab; to choose, press Enter. Star is help, "
         "slash repeats, plus changes the volume and minus goes back."),
      NULL);
  linli_kiosk_speak (self->kiosk, text, LINLI_VOICE_PRIORITY_SCREEN);
}

/* The back key: from a service or the help screen to the services; the
 * services and the attract screen are the top, where back only says so. */
static void
action_back (GtkWidget *widget, const char *name, GVariant *param)
{
  LinliWindow *self = LINLI_WINDOW (widget);
  LinliSessionState state = linli_session_get_state (self->session);

  if (g_strcmp0 (self->page, "pin") == 0)
    {
      show_page (self, "attract");
      return;
    }
  if (g_strcmp0 (self->page, "form") == 0 && state == LINLI_SESSION_STATE_ACTIVE)
    {
      linli_form_page_back (self->form_page);
      return;
    }
  if (g_strcmp0 (self->page, "staff") == 0)
    {
      if (!linli_staff_page_back (self->staff))
        on_staff_finished (self, FALSE);
      return;
    }
  /* Maintenance is left with its own button, which audits it. */
  if (g_strcmp0 (self->page, "maintenance") == 0)
    return;
  if (state == LINLI_SESSION_STATE_WARNING)
    return;
  if (state == LINLI_SESSION_STATE_ACTIVE && g_strcmp0 (self->page, "service") == 0
      && self->service_tile != NULL && linli_service_tile_get_category (self->service_tile) != NULL)
    {
      g_autofree char *category = g_strdup (linli_service_tile_get_category (self->service_tile));
      show_service (self, category);
      return;
    }
  if (state == LINLI_SESSION_STATE_ACTIVE && g_strcmp0 (self->page, "home") != 0)
    {
      show_page (self, "home");
      return;
    }
  linli_kiosk_speak (self->kiosk,
                     state == LINLI_SESSION_STATE_ACTIVE
                         ? _ ("This is the first screen of services. To end your visit, choose "
                              "Finish at the bottom of the screen.")
                         : _ ("This is the start screen."),
                     LINLI_VOICE_PRIORITY_SCREEN);
}

/* The home page's staff button: sign in, or sign out when signed in. */
static void
action_staff (GtkWidget *widget, const char *name, GVariant *param)
{
  LinliWindow *self = LINLI_WINDOW (widget);

  linli_kiosk_user_activity (self->kiosk);
  if (linli_kiosk_get_staff_id (self->kiosk) != NULL)
    {
      linli_kiosk_sign_out_staff (self->kiosk);
      linli_kiosk_speak (self->kiosk, _ ("Staff assistance has ended."),
                         LINLI_VOICE_PRIORITY_ALERT);
      return;
    }
  linli_window_sign_in_staff (self, NULL, NULL);
}

static void
action_repeat (GtkWidget *widget, const char *name, GVariant *param)
{
  LinliWindow *self = LINLI_WINDOW (widget);

  if (linli_session_get_state (self->session) == LINLI_SESSION_STATE_WARNING)
    {
      g_autofree char *alert = linli_timeout_warning_get_announcement (self->warning);
      linli_kiosk_speak (self->kiosk, alert, LINLI_VOICE_PRIORITY_ALERT);
      return;
    }
  announce_page (self);
}

/* Each step is said at its new loudness, so the resident hears the change. */
static void
action_volume (GtkWidget *widget, const char *name, GVariant *param)
{
  LinliWindow *self = LINLI_WINDOW (widget);
  g_autofree char *text = NULL;

  linli_kiosk_cycle_volume (self->kiosk);
  text = g_strdup_printf (_ ("Volume %d of %d"), linli_kiosk_get_volume_step (self->kiosk) + 1,
                          LINLI_VOICE_VOLUME_STEPS);
  linli_kiosk_speak (self->kiosk, text, LINLI_VOICE_PRIORITY_SCREEN);
}

static void
action_language (GtkWidget *widget, const char *name, GVariant *param)
{
  LinliKiosk *kiosk = LINLI_WINDOW (widget)->kiosk;

  linli_kiosk_user_activity (kiosk);
  linli_kiosk_set_language (
      kiosk, g_str_has_prefix (linli_kiosk_get_language (kiosk), "en") ? "zh_CN" : "en");
}

/* The hidden entry: five taps within three seconds in the top-left corner
 * open the PIN pad. A gesture on the window in the capture phase, not a
 * widget: a resident's screen reader finds nothing there to announce. A
 * tap in the corner is claimed, so whatever lies under it is not also
 * activated. */
#define CORNER_SIZE      120 /* px */
#define CORNER_TAPS      5
#define CORNER_WINDOW_US (3 * G_USEC_PER_SEC)

static void
on_corner_pressed (GtkGestureClick *gesture, int n_press, double x, double y, gpointer user_data)
{
  LinliWindow *self = user_data;
  gint64 now = g_get_monotonic_time ();

  if (x > CORNER_SIZE || y > CORNER_SIZE)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      self->corner_taps = 0;
      return;
    }
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  if (self->corner_taps == 0 || now - self->first_tap_us > CORNER_WINDOW_US)
    {
      self->corner_taps = 0;
      self->first_tap_us = now;
    }
  if (++self->corner_taps < CORNER_TAPS)
    return;
  self->corner_taps = 0;
  if (g_strcmp0 (self->page, "pin") == 0 || g_strcmp0 (self->page, "maintenance") == 0)
    return;
  /* The resident's data goes before a maintainer's screen comes. */
  if (linli_session_get_state (self->session) != LINLI_SESSION_STATE_IDLE)
    linli_kiosk_finish_session (self->kiosk);
  show_page (self, "pin");
}

static void
on_maintenance_active (LinliWindow *self)
{
  if (linli_maintenance_mode_get_active (linli_kiosk_get_maintenance (self->kiosk)))
    show_page (self, "maintenance");
  else
    show_page (self, "attract");
}

/**
 * linli_window_set_usb_model:
 * @model: (nullable): the USB inventory, a list of GObjects
 * @describe: (nullable): one line per item; NULL reads each item's string
 *   property "summary"
 *
 * Shown on the maintenance page, and kept across the page's rebuilds.
 */
void
linli_window_set_usb_model (LinliWindow *self, GListModel *model, LinliUsbDescribeFunc describe)
{
  g_return_if_fail (LINLI_IS_WINDOW (self));

  g_set_object (&self->usb_model, model);
  self->usb_describe = describe;
  linli_maintenance_page_set_usb_model (self->maintenance, model, describe);
}

static void
linli_window_dispose (GObject *object)
{
  LinliWindow *self = LINLI_WINDOW (object);

  if (self->kiosk != NULL)
    g_signal_handlers_disconnect_by_data (self->kiosk, self);
  if (self->kiosk != NULL)
    g_signal_handlers_disconnect_by_data (linli_kiosk_get_maintenance (self->kiosk), self);
  g_clear_object (&self->usb_model);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  if (self->scale_css != NULL)
    gtk_style_context_remove_provider_for_display (gtk_widget_get_display (GTK_WIDGET (self)),
                                                   GTK_STYLE_PROVIDER (self->scale_css));
  g_clear_object (&self->scale_css);
  g_clear_handle_id (&self->announce_id, g_source_remove);
  g_clear_object (&self->session);
  g_clear_object (&self->kiosk);

  gtk_widget_dispose_template (GTK_WIDGET (self), LINLI_TYPE_WINDOW);

  G_OBJECT_CLASS (linli_window_parent_class)->dispose (object);
}

static void
linli_window_finalize (GObject *object)
{
  LinliWindow *self = LINLI_WINDOW (object);

  g_free (self->page);
  g_free (self->service_code);
  g_clear_object (&self->service_tile);
  g_free (self->capture_item);
  g_clear_object (&self->form);

  G_OBJECT_CLASS (linli_window_parent_class)->finalize (object);
}

static void
linli_window_class_init (LinliWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = linli_window_dispose;
  object_class->finalize = linli_window_finalize;
  widget_class->realize = linli_window_realize;
  widget_class->unrealize = linli_window_unrealize;
  GTK_WINDOW_CLASS (klass)->close_request = on_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, "/cn/linli/Kiosk/ui/linli-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LinliWindow, overlay);
  gtk_widget_class_bind_template_child (widget_class, LinliWindow, content);
  gtk_widget_class_bind_template_child (widget_class, LinliWindow, stack);

  gtk_widget_class_install_action (widget_class, "kiosk.start", NULL, action_start);
  gtk_widget_class_install_action (widget_class, "kiosk.home", NULL, action_home);
  gtk_widget_class_install_action (widget_class, "kiosk.open-service", "s", action_open_service);
  gtk_widget_class_install_action (widget_class, "kiosk.help", NULL, action_help);
  gtk_widget_class_install_action (widget_class, "kiosk.finish", NULL, action_finish);
  gtk_widget_class_install_action (widget_class, "kiosk.continue", NULL, action_continue);
  gtk_widget_class_install_action (widget_class, "kiosk.more-time", NULL, action_more_time);
  gtk_widget_class_install_action (widget_class, "kiosk.text-size", NULL, action_text_size);
  gtk_widget_class_install_action (widget_class, "kiosk.contrast", NULL, action_contrast);
  gtk_widget_class_install_action (widget_class, "kiosk.voice", NULL, action_voice);
  gtk_widget_class_install_action (widget_class, "kiosk.language", NULL, action_language);
  gtk_widget_class_install_action (widget_class, "kiosk.explain", NULL, action_explain);
  gtk_widget_class_install_action (widget_class, "kiosk.back", NULL, action_back);
  gtk_widget_class_install_action (widget_class, "kiosk.repeat", NULL, action_repeat);
  gtk_widget_class_install_action (widget_class, "kiosk.volume", NULL, action_volume);
  gtk_widget_class_install_action (widget_class, "kiosk.staff", NULL, action_staff);

  /* The usual quit keys are deliberately left unbound; Escape is "back". */
}

static void
linli_window_init (LinliWindow *self)
{
  GtkEventController *legacy;
  GtkEventController *keys;
  GtkGesture *corner;

  g_type_ensure (LINLI_TYPE_ATTRACT_PAGE);
  gtk_widget_init_template (GTK_WIDGET (self));

  legacy = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (legacy, GTK_PHASE_CAPTURE);
  g_signal_connect (legacy, "event", G_CALLBACK (on_input_event), self);
  gtk_widget_add_controller (GTK_WIDGET (self), legacy);

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);

  corner = gtk_gesture_click_new ();
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (corner), FALSE);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (corner), GTK_PHASE_CAPTURE);
  g_signal_connect (corner, "pressed", G_CALLBACK (on_corner_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (corner));

  self->scale_css = gtk_css_provider_new ();
  gtk_style_context_add_provider_for_display (gtk_widget_get_display (GTK_WIDGET (self)),
                                              GTK_STYLE_PROVIDER (self->scale_css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);
}

LinliWindow *
linli_window_new (LinliKioskApp *application, LinliKiosk *kiosk, gboolean report_first_frame)
{
  LinliWindow *self;
  LinliConfig *config = linli_kiosk_get_config (kiosk);

  self = g_object_new (LINLI_TYPE_WINDOW, "application", application, NULL);
  self->kiosk = g_object_ref (kiosk);
  self->session = g_object_ref (linli_kiosk_get_session (kiosk));
  self->report_first_frame = report_first_frame;
  if (report_first_frame)
    g_signal_connect_swapped (kiosk, "speech-started", G_CALLBACK (on_speech_started), self);

  build_screens (self);
  show_page (self, "attract");
  on_presentation_changed (self);

  g_signal_connect_swapped (kiosk, "notify::language", G_CALLBACK (on_language_changed), self);
  g_signal_connect_swapped (kiosk, "notify::text-size", G_CALLBACK (on_presentation_changed), self);
  g_signal_connect_swapped (kiosk, "notify::high-contrast", G_CALLBACK (on_presentation_changed),
                            self);
  g_signal_connect_swapped (self->session, "notify::state", G_CALLBACK (on_session_state), self);
  g_signal_connect_swapped (kiosk, "notify::identity", G_CALLBACK (on_identity_changed), self);
  g_signal_connect_swapped (kiosk, "card-problem", G_CALLBACK (on_card_problem), self);
  g_signal_connect_swapped (kiosk, "take-card", G_CALLBACK (on_take_card), self);
  g_signal_connect_swapped (linli_kiosk_get_maintenance (kiosk), "notify::active",
                            G_CALLBACK (on_maintenance_active), self);
  g_signal_connect (self, "notify::focus-widget", G_CALLBACK (on_focus_widget), NULL);

  gtk_window_set_focus_visible (GTK_WINDOW (self), TRUE);
  if (linli_config_get_boolean (config, "display", "hide-pointer"))
    gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "none");
  if (linli_config_get_boolean (config, "display", "fullscreen"))
    gtk_window_fullscreen (GTK_WINDOW (self));
  return self;
}

/* ---- the camera screen (issue 7) ---- */

/**
 * linli_window_capture_document:
 * @item_code: the catalog item
 * @index: which of its documents
 *
 * Shows the camera screen for the pages of that document.
 *
 * Returns: FALSE when the catalog has no such document (nothing shown)
 */
gboolean
linli_window_capture_document (LinliWindow *self,
                               const char *item_code,
                               guint index,
                               LinliWindowCaptureDone done,
                               gpointer user_data)
{
  LinliCaptureDocument document = { 0 };
  LinliCapture *capture;
  g_autofree char *item = NULL;

  g_return_val_if_fail (LINLI_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (item_code != NULL, FALSE);

  if (!linli_capture_find_document (self->kiosk, item_code, index,
                                    linli_kiosk_get_language (self->kiosk), &document))
    return FALSE;
  item = g_strdup (item_code);
  g_free (self->capture_item);
  self->capture_item = g_steal_pointer (&item);
  self->capture_index = index;
  self->capture_done = done;
  self->capture_data = user_data;
  capture = linli_kiosk_get_capture (self->kiosk);
  /* An optional document may be left without pages (完成 at once). */
  linli_capture_set_document (capture, document.name, document.required ? document.pages_min : 0,
                              document.pages_max);
  linli_capture_page_start_document (self->capture_page, document.title);
  linli_capture_document_clear (&document);
  show_page (self, "capture");
  return TRUE;
}

/* Consent, the photo, its review. */
void
linli_window_capture_photo (LinliWindow *self, LinliWindowCaptureDone done, gpointer user_data)
{
  g_return_if_fail (LINLI_IS_WINDOW (self));

  g_clear_pointer (&self->capture_item, g_free);
  self->capture_done = done;
  self->capture_data = user_data;
  linli_capture_set_photo_mode (linli_kiosk_get_capture (self->kiosk));
  linli_capture_page_start_photo (self->capture_page);
  show_page (self, "capture");
}

void
linli_window_show_capture_result (LinliWindow *self, const char *title, const char *note)
{
  g_return_if_fail (LINLI_IS_WINDOW (self));

  linli_capture_page_show_result (self->capture_page, title, note);
  update_title (self);
}

/* Back from the camera without a photo, or a step that cannot go on: to
 * the item's category, where the resident chose it. */
static void
back_to_category (LinliWindow *self)
{
  if (self->service_tile != NULL && linli_service_tile_get_category (self->service_tile))
    {
      g_autofree char *category = g_strdup (linli_service_tile_get_category (self->service_tile));
      show_service (self, category);
    }
  else
    show_page (self, "home");
}

static const char *
form_title (LinliWindow *self)
{
  return self->service_tile != NULL ? linli_service_tile_get_title (
             self->service_tile, linli_kiosk_get_language (self->kiosk))
                                    : "";
}

static void
show_form_summary (LinliWindow *self)
{
  linli_form_page_show_summary (self->form_page, self->form, form_title (self));
  show_page (self, "form");
}

static void capture_application_document (LinliWindow *self, guint index);

/* One document's pages are taken: they must make a PDF within the
 * catalog's limit (the pages go as they are; the PDF is the size check and
 * what staff can print), then the next document, then the summary. */
static void
on_application_document (LinliWindow *self, gboolean completed, gpointer user_data)
{
  guint index = GPOINTER_TO_UINT (user_data);
  LinliCapture *capture = linli_kiosk_get_capture (self->kiosk);
  LinliCaptureDocument document = { 0 };
  g_autoptr (GError) error = NULL;

  if (self->form == NULL)
    return;
  if (!completed)
    {
      /* Back from the camera: to the previous document, or the last
       * question. */
      guint n_fields = linli_form_get_n_fields (self->form);

      if (index > 0)
        capture_application_document (self, index - 1);
      else if (n_fields > 0)
        {
          linli_form_page_show_field (self->form_page, self->form, form_title (self), n_fields - 1);
          show_page (self, "form");
        }
      else
        on_form_cancelled (self);
      return;
    }
  if (!linli_capture_find_document (self->kiosk, linli_form_get_item_code (self->form), index,
                                    linli_kiosk_get_language (self->kiosk), &document)
      || !linli_capture_assemble (capture, document.max_bytes, NULL, NULL, &error))
    {
      linli_capture_document_clear (&document);
      /* The same camera screen again, with what to do. */
      capture_application_document (self, index);
      linli_capture_page_show_problem (
          self->capture_page, error != NULL ? error->message : _ ("Please ask staff for help."));
      return;
    }
  linli_capture_document_clear (&document);
  if (index + 1 < linli_form_get_n_documents (self->form))
    capture_application_document (self, index + 1);
  else
    show_form_summary (self);
}

static void
capture_application_document (LinliWindow *self, guint index)
{
  if (!linli_window_capture_document (self, linli_form_get_item_code (self->form), index,
                                      on_application_document, GUINT_TO_POINTER (index)))
    show_form_summary (self);
}

static void
on_form_fields_done (LinliWindow *self)
{
  if (self->form == NULL)
    return;
  if (linli_form_get_n_documents (self->form) > 0)
    capture_application_document (self, 0);
  else
    show_form_summary (self);
}

/* The resident confirmed: the item's screen files it and shows the
 * application number and the receipt. */
static void
on_form_confirmed (LinliWindow *self)
{
  if (self->form == NULL || self->service_tile == NULL)
    return;
  linli_service_page_submit_application (self->service, self->service_tile, self->form);
  show_page (self, "service");
  linli_form_page_clear (self->form_page);
}

static void
on_form_cancelled (LinliWindow *self)
{
  /* What was typed stays in the session (wiped when the visit ends), so a
   * resident who comes back to the item finds it again. */
  linli_form_page_clear (self->form_page);
  g_clear_object (&self->form);
  back_to_category (self);
}

static gboolean start_application (LinliWindow *self, LinliServiceTile *tile);

/* Back from the staff sign-in an assisted-only item asked for: the item
 * goes on, or back to its category. */
static void
on_staff_for_item (LinliWindow *self, gboolean signed_in, gpointer user_data)
{
  g_autoptr (LinliServiceTile) tile
      = self->service_tile != NULL ? g_object_ref (self->service_tile) : NULL;

  if (!signed_in || tile == NULL || !start_application (self, tile))
    back_to_category (self);
}

/* An application item, for the resident on the reader: its questions,
 * then the documents, then the summary. An item only staff may file asks
 * for a staff sign-in first. */
static gboolean
start_application (LinliWindow *self, LinliServiceTile *tile)
{
  g_autoptr (GError) error = NULL;
  LinliForm *form;

  if (linli_kiosk_get_identity (self->kiosk) == NULL)
    return FALSE;
  form = linli_form_new (self->kiosk, linli_service_tile_get_code (tile), &error);
  if (form == NULL)
    return FALSE;
  g_clear_object (&self->form);
  self->form = form;
  if (linli_form_get_assisted_only (form) && linli_kiosk_get_staff_id (self->kiosk) == NULL)
    {
      linli_kiosk_speak (self->kiosk,
                         _ ("Staff must file this application with you. Staff, please sign in."),
                         LINLI_VOICE_PRIORITY_ALERT);
      linli_window_sign_in_staff (self, on_staff_for_item, NULL);
      return TRUE;
    }
  if (linli_form_get_n_fields (form) == 0)
    {
      on_form_fields_done (self);
      return TRUE;
    }
  linli_form_page_show_field (self->form_page, form, form_title (self), 0);
  show_page (self, "form");
  return TRUE;
}

/* The photo is taken: the certification is submitted from the item's
 * screen, which shows the platform's answer and the receipt. */
static void
on_certification_captured (LinliWindow *self, gboolean completed, gpointer user_data)
{
  LinliCapture *capture = linli_kiosk_get_capture (self->kiosk);
  g_autoptr (GBytes) photo = completed ? linli_capture_dup_photo (capture) : NULL;
  GDateTime *consent_at = linli_capture_get_consented_at (capture);
  GDateTime *captured_at = linli_capture_get_photo_taken_at (capture);

  if (photo == NULL || consent_at == NULL || captured_at == NULL || self->service_tile == NULL)
    {
      back_to_category (self);
      return;
    }
  linli_service_page_submit_certification (self->service, self->service_tile, photo, consent_at,
                                           captured_at);
  show_page (self, "service");
  /* The outbox has its own copy until the platform confirms it. */
  linli_capture_discard_photo (capture);
}

/* The journeys that begin on a screen of their own (the camera, the
 * form) rather than on the item's screen. */
static gboolean
start_journey (LinliWindow *self, LinliServiceTile *tile)
{
  const char *flow = linli_service_tile_get_item_flow (tile);

  if (g_strcmp0 (flow, "certification") == 0)
    {
      /* Without a card the item's screen asks for one first. */
      if (linli_kiosk_get_identity (self->kiosk) == NULL)
        return FALSE;
      linli_window_capture_photo (self, on_certification_captured, NULL);
      return TRUE;
    }
  if (g_strcmp0 (flow, "application") == 0)
    return start_application (self, tile);
  return FALSE;
}

/* ---- staff sign-in ---- */

/**
 * linli_window_sign_in_staff:
 * @done: (nullable): called instead of going home
 *
 * Shows the staff sign-in screen. Signing in begins the session if none
 * is running (linli_kiosk_sign_in_staff_async()).
 */
void
linli_window_sign_in_staff (LinliWindow *self, LinliWindowStaffDone done, gpointer user_data)
{
  g_return_if_fail (LINLI_IS_WINDOW (self));

  self->staff_done = done;
  self->staff_data = user_data;
  show_page (self, "staff");
}
