/* linli-capture-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The camera screen. Document mode: the live picture, spoken and written
 * guidance, an automatic capture once the page lies still (the camera's
 * "still"), a manual button always there, the processed pages as a row of
 * thumbnails (select one → retake / delete / earlier / later), the count
 * against the catalog's limits, Done and Cancel. Photo mode: consent
 * first, then the picture with a face oval, a spoken 3-2-1, the photo and
 * its review. The page shows what LinliCapture (kiosk/) holds; it never
 * sees the camera itself. It says how it ended with "finished"; the window
 * decides what comes next.
 */
#define G_LOG_DOMAIN "linli-capture-page"

#include "linli-capture-page.h"

#include <glib/gi18n.h>

#define COUNTDOWN_FROM 3

struct _LinliCapturePage
{
  LinliPage parent_instance;

  GtkLabel *title;
  GtkStack *states;
  GtkLabel *consent_text;
  GtkPicture *preview;
  GtkDrawingArea *oval;
  GtkLabel *countdown;
  GtkLabel *guidance;
  GtkLabel *status;
  GtkLabel *count;
  GtkWidget *thumbs_scroll;
  GtkBox *thumbs;
  GtkWidget *page_actions;
  GtkWidget *shoot;
  GtkWidget *finish;
  GtkPicture *photo;
  GtkLabel *result_title;
  GtkLabel *result_note;

  LinliKiosk *kiosk;
  LinliCapture *capture;
  GCancellable *cancellable;
  LinliCaptureMode mode;
  char *title_text;

  int selected;           /* the thumbnail chosen, or -1 */
  int replacing;          /* the page being retaken, or -1 */
  gboolean auto_armed;    /* the next still picture is taken by itself */
  guint countdown_source; /* photo mode's 3-2-1 */
  int countdown_left;

  /* Drawn preview pictures: a new texture counts once it has been painted. */
  gboolean frame_pending;
  guint64 frames_drawn;
  gulong after_paint_id;
  guint describe_source;
};

G_DEFINE_FINAL_TYPE (LinliCapturePage, linli_capture_page, LINLI_TYPE_PAGE)

enum
{
  SIGNAL_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
say (LinliCapturePage *self, const char *text)
{
  linli_kiosk_speak (self->kiosk, text, LINLI_VOICE_PRIORITY_SCREEN);
}

/* Only the shown state is visible: a hidden stack child would still be in
 * the accessibility tree, and its buttons found by a screen reader. */
static void
show_state (LinliCapturePage *self, const char *name)
{
  GtkWidget *target = gtk_stack_get_child_by_name (self->states, name);

  gtk_widget_set_visible (target, TRUE);
  gtk_stack_set_visible_child (self->states, target);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->states)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (child != target)
      gtk_widget_set_visible (child, FALSE);
}

static void
set_status (LinliCapturePage *self, const char *text)
{
  gtk_label_set_label (self->status, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status), text != NULL);
}

static void
update_actions (LinliCapturePage *self)
{
  gboolean capturing = linli_capture_get_capturing (self->capture);
  guint n = linli_capture_get_n_pages (self->capture);
  gboolean document = self->mode == LINLI_CAPTURE_MODE_DOCUMENT;
  gboolean counting = self->countdown_source != 0;
  int max = linli_capture_get_pages_max (self->capture);
  int min = linli_capture_get_pages_min (self->capture);

  if (self->selected >= (int) n)
    self->selected = -1;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "capture.shoot",
                                 !capturing && !counting && (!document || n < (guint) max));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "capture.done",
                                 document && !capturing && n >= (guint) min);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "capture.retake",
                                 !capturing && self->selected >= 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "capture.delete",
                                 !capturing && self->selected >= 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "capture.earlier",
                                 !capturing && self->selected > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "capture.later",
                                 !capturing && self->selected >= 0 && self->selected + 1 < (int) n);
  gtk_widget_set_visible (self->page_actions, document && self->selected >= 0);
}

static void
update_count (LinliCapturePage *self)
{
  guint n = linli_capture_get_n_pages (self->capture);
  int min = linli_capture_get_pages_min (self->capture);
  int max = linli_capture_get_pages_max (self->capture);
  g_autofree char *text = NULL;

  if (min == 0)
    /* TRANSLATORS: pages captured so far of a document the application
     * may go without, and the most pages */
    text = g_strdup_printf (ngettext ("%u page taken, up to %d; this document may be left out",
                                      "%u pages taken, up to %d; this document may be left out", n),
                            n, max);
  else if (min == max)
    /* TRANSLATORS: pages captured so far, and how many the document has */
    text = g_strdup_printf (ngettext ("%u page taken, %d needed", "%u pages taken, %d needed", n),
                            n, max);
  else
    /* TRANSLATORS: pages captured so far, and the least and most pages */
    text = g_strdup_printf (
        ngettext ("%u page taken, %d to %d needed", "%u pages taken, %d to %d needed", n), n, min,
        max);
  gtk_label_set_label (self->count, text);
}

static void
rebuild_thumbnails (LinliCapturePage *self)
{
  GtkWidget *child;
  guint n = linli_capture_get_n_pages (self->capture);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->thumbs))) != NULL)
    gtk_box_remove (self->thumbs, child);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GBytes) jpeg = linli_capture_dup_thumbnail (self->capture, i);
      g_autoptr (GdkTexture) texture = NULL;
      g_autoptr (GError) error = NULL;
      /* TRANSLATORS: a captured page's thumbnail button */
      g_autofree char *name = g_strdup_printf (_ ("Page %u"), i + 1);
      GtkWidget *button = gtk_button_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
      GtkWidget *picture;

      if (jpeg != NULL)
        texture = gdk_texture_new_from_bytes (jpeg, &error);
      if (texture == NULL)
        g_warning ("thumbnail %u: %s", i, error != NULL ? error->message : "wiped");
      picture = gtk_picture_new_for_paintable (texture != NULL ? GDK_PAINTABLE (texture) : NULL);
      gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
      gtk_widget_set_size_request (picture, 80, 100);
      gtk_box_append (GTK_BOX (box), picture);
      gtk_box_append (GTK_BOX (box), gtk_label_new (name));
      gtk_button_set_child (GTK_BUTTON (button), box);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "capture.select");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "u", i);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                      -1);
      linli_widget_set_speech (button, name);
      gtk_widget_add_css_class (button, "thumbnail");
      if ((int) i == self->selected)
        gtk_widget_add_css_class (button, "suggested");
      gtk_box_append (self->thumbs, button);
    }
  gtk_widget_set_visible (self->thumbs_scroll, self->mode == LINLI_CAPTURE_MODE_DOCUMENT && n > 0);
  update_count (self);
  update_actions (self);
}

/* ---- preview ---- */

static void
on_frame (LinliCapture *capture,
          GBytes *pixels,
          int width,
          int height,
          guint stride,
          LinliCapturePage *self)
{
  g_autoptr (GdkTexture) texture = NULL;

  /* One new picture per screen refresh at most: one not yet painted is
   * replaced, never queued. */
  texture = gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8A8, pixels, stride);
  gtk_picture_set_paintable (self->preview, GDK_PAINTABLE (texture));
  self->frame_pending = TRUE;
}

static void
on_after_paint (GdkFrameClock *clock, LinliCapturePage *self)
{
  if (!self->frame_pending)
    return;
  self->frame_pending = FALSE;
  self->frames_drawn++;
}

/* The count of drawn pictures, once a second, in the picture's accessible
 * description: a screen reader hears that the picture is live, and the UI
 * test reads that pictures reach the screen. */
static gboolean
describe_preview (gpointer user_data)
{
  LinliCapturePage *self = user_data;
  g_autofree char *text = g_strdup_printf (
      /* TRANSLATORS: the camera picture's description for screen readers */
      _ ("Live camera picture, %u pictures shown"), (guint) self->frames_drawn);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->preview),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
  return G_SOURCE_CONTINUE;
}

static void
stop_countdown (LinliCapturePage *self)
{
  g_clear_handle_id (&self->countdown_source, g_source_remove);
  gtk_widget_set_visible (GTK_WIDGET (self->countdown), FALSE);
}

static void
stop_camera (LinliCapturePage *self)
{
  stop_countdown (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  linli_capture_stop_preview (self->capture);
  gtk_picture_set_paintable (self->preview, NULL);
}

static void
start_camera (LinliCapturePage *self)
{
  g_autoptr (GError) error = NULL;

  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->auto_armed = TRUE;
  set_status (self, NULL);
  if (!linli_capture_start_preview (self->capture, &error))
    {
      set_status (self, error->message);
      say (self, error->message);
    }
}

/* ---- capture ---- */

static void
on_captured (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (LinliCapturePage) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!linli_capture_capture_finish (LINLI_CAPTURE (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
          || gtk_widget_get_parent (GTK_WIDGET (self)) == NULL)
        return;
      set_status (self, error->message);
      say (self, error->message);
      update_actions (self);
      return;
    }
  if (gtk_widget_get_parent (GTK_WIDGET (self)) == NULL)
    return;

  if (self->mode == LINLI_CAPTURE_MODE_PHOTO)
    {
      g_autoptr (GBytes) jpeg = linli_capture_dup_photo (self->capture);
      g_autoptr (GdkTexture) texture
          = jpeg != NULL ? gdk_texture_new_from_bytes (jpeg, NULL) : NULL;

      stop_camera (self);
      gtk_picture_set_paintable (self->photo, texture != NULL ? GDK_PAINTABLE (texture) : NULL);
      show_state (self, "review");
      linli_page_set_announcement (LINLI_PAGE (self), _ ("Is your face clear in the photo?"));
      say (self, _ ("The photo is taken. Is your face clear in the photo?"));
      gtk_widget_child_focus (gtk_stack_get_visible_child (self->states), GTK_DIR_TAB_FORWARD);
      return;
    }

  {
    guint n = linli_capture_get_n_pages (self->capture);
    g_autofree char *text = g_strdup_printf (
        _ ("Taken: page %u."), self->replacing >= 0 ? (guint) self->replacing + 1 : n);

    /* A retake keeps the page chosen; a new page is at the end. */
    set_status (self, text);
    rebuild_thumbnails (self);
    if (n >= (guint) linli_capture_get_pages_max (self->capture))
      say (self, _ ("The pages are all taken. Choose Done."));
    else
      {
        g_autofree char *next
            = g_strdup_printf ("%s %s", text, _ ("Place the next page, or choose Done."));
        say (self, n >= (guint) linli_capture_get_pages_min (self->capture) ? next : text);
      }
  }
}

static void
take (LinliCapturePage *self, int replace)
{
  self->replacing = replace;
  set_status (self, _ ("Taking the picture, please wait…"));
  linli_capture_capture_async (self->capture, replace, self->cancellable, on_captured,
                               g_object_ref (self));
  update_actions (self);
}

static void
on_still (LinliCapturePage *self)
{
  gboolean still = linli_capture_get_still (self->capture);

  if (!still)
    {
      /* The page moved: the next still page is a new one. */
      self->auto_armed = TRUE;
      return;
    }
  if (self->mode != LINLI_CAPTURE_MODE_DOCUMENT || !self->auto_armed
      || g_strcmp0 (gtk_stack_get_visible_child_name (self->states), "camera") != 0
      || linli_capture_get_capturing (self->capture)
      || linli_capture_get_n_pages (self->capture)
             >= (guint) linli_capture_get_pages_max (self->capture))
    return;
  self->auto_armed = FALSE;
  say (self, _ ("The page is still. Taking the picture."));
  take (self, -1);
}

static gboolean
on_countdown_tick (gpointer user_data)
{
  LinliCapturePage *self = user_data;
  g_autofree char *number = NULL;

  if (--self->countdown_left <= 0)
    {
      self->countdown_source = 0;
      gtk_widget_set_visible (GTK_WIDGET (self->countdown), FALSE);
      take (self, -1);
      return G_SOURCE_REMOVE;
    }
  number = g_strdup_printf ("%d", self->countdown_left);
  gtk_label_set_label (self->countdown, number);
  say (self, number);
  return G_SOURCE_CONTINUE;
}

static void
action_shoot (GtkWidget *widget, const char *name, GVariant *param)
{
  LinliCapturePage *self = LINLI_CAPTURE_PAGE (widget);

  linli_kiosk_user_activity (self->kiosk);
  if (self->mode == LINLI_CAPTURE_MODE_DOCUMENT)
    {
      take (self, -1);
      return;
    }
  /* Photo: a spoken 3-2-1, so the resident knows when to hold still. */
  self->countdown_left = COUNTDOWN_FROM + 1;
  gtk_widget_set_visible (GTK_WIDGET (self->countdown), TRUE);
  on_countdown_tick (self);
  self->countdown_source = g_timeout_add_seconds (1, on_countdown_tick, self);
  update_actions (self);
}

static void
action_select (GtkWidget *widget, const char *name, GVariant *param)
{
  LinliCapturePage *self = LINLI_CAPTURE_PAGE (widget);
  guint position = g_variant_get_uint32 (param);
  g_autofree char *text = NULL;

  linli_kiosk_user_activity (self->kiosk);
  self->selected = (int) position;
  rebuild_thumbnails (self);
  text = g_strdup_printf (_ ("Page %u chosen: retake, delete, or move it."), position + 1);
  say (self, text);
}

static void
action_retake (GtkWidget *widget, const char *name, GVariant *param)
{
  LinliCapturePage *self = LINLI_CAPTURE_PAGE (widget);

  linli_kiosk_user_activity (self->kiosk);
  if (self->selected >= 0)
    take (self, self->selected);
}

static void
action_delete (GtkWidget *widget, const char *name, GVariant *param)
{
  LinliCapturePage *self = LINLI_CAPTURE_PAGE (widget);
  g_autofree char *text = NULL;

  linli_kiosk_user_activity (self->kiosk);
  if (self->selected < 0)
    return;
  text = g_strdup_printf (_ ("Page %u deleted."), self->selected + 1);
  linli_capture_remove_page (self->capture, (guint) self->selected);
  self->selected = -1;
  set_status (self, text);
  say (self, text);
  rebuild_thumbnails (self);
  gtk_widget_grab_focus (self->shoot);
}

static void
move_selected (LinliCapturePage *self, int by)
{
  int to = self->selected + by;
  g_autofree char *text = NULL;

  linli_kiosk_user_activity (self->kiosk);
  if (self->selected < 0 || to < 0 || to >= (int) linli_capture_get_n_pages (self->capture))
    return;
  linli_capture_move_page (self->capture, (guint) self->selected, (guint) to);
  self->selected = to;
  text = g_strdup_printf (_ ("The page is now page %d."), to + 1);
  set_status (self, text);
  say (self, text);
  rebuild_thumbnails (self);
}

static void
action_earlier (GtkWidget *widget, const char *name, GVariant *param)
{
  move_selected (LINLI_CAPTURE_PAGE (widget), -1);
}

static void
action_later (GtkWidget *widget, const char *name, GVariant *param)
{
  move_selected (LINLI_CAPTURE_PAGE (widget), 1);
}

static void
finish (LinliCapturePage *self, gboolean completed)
{
  stop_camera (self);
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0, completed);
}

static void
action_done (GtkWidget *widget, const char *name, GVariant *param)
{
  linli_kiosk_user_activity (LINLI_CAPTURE_PAGE (widget)->kiosk);
  finish (LINLI_CAPTURE_PAGE (widget), TRUE);
}

static void
action_cancel (GtkWidget *widget, const char *name, GVariant *param)
{
  LinliCapturePage *self = LINLI_CAPTURE_PAGE (widget);

  linli_kiosk_user_activity (self->kiosk);
  /* A photo not used is not kept a moment longer. */
  if (self->mode == LINLI_CAPTURE_MODE_PHOTO)
    linli_capture_discard_photo (self->capture);
  finish (self, FALSE);
}

static void
draw_oval (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer user_data)
{
  double ry = height * 0.36, rx = ry * 0.75;

  /* Where the face goes: a white oval edged in black, seen on any picture. */
  cairo_save (cr);
  cairo_translate (cr, width / 2.0, height / 2.0);
  cairo_scale (cr, rx, ry);
  cairo_arc (cr, 0, 0, 1, 0, 2 * G_PI);
  cairo_restore (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_set_line_width (cr, 14);
  cairo_stroke_preserve (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_set_line_width (cr, 8);
  cairo_stroke (cr);
}

static void
enter_camera (LinliCapturePage *self)
{
  gboolean document = self->mode == LINLI_CAPTURE_MODE_DOCUMENT;
  const char *guidance = document
                             ? _ ("Please place the document face up in the capture area.")
                             : _ ("Please face the screen and keep your face inside the oval.");
  g_autofree char *announcement = g_strjoin (_ ("; "), self->title_text, guidance, NULL);

  gtk_label_set_label (self->guidance, guidance);
  gtk_widget_set_visible (GTK_WIDGET (self->oval), !document);
  gtk_widget_set_visible (GTK_WIDGET (self->count), document);
  gtk_widget_set_visible (self->finish, document);
  show_state (self, "camera");
  linli_page_set_announcement (LINLI_PAGE (self), announcement);
  self->selected = -1;
  rebuild_thumbnails (self);
  start_camera (self);
  gtk_widget_grab_focus (self->shoot);
}

static void
action_agree (GtkWidget *widget, const char *name, GVariant *param)
{
  LinliCapturePage *self = LINLI_CAPTURE_PAGE (widget);

  linli_kiosk_user_activity (self->kiosk);
  linli_capture_note_consent (self->capture);
  enter_camera (self);
  say (self, linli_page_get_announcement (LINLI_PAGE (self)));
}

static void
action_use_photo (GtkWidget *widget, const char *name, GVariant *param)
{
  linli_kiosk_user_activity (LINLI_CAPTURE_PAGE (widget)->kiosk);
  finish (LINLI_CAPTURE_PAGE (widget), TRUE);
}

static void
action_retake_photo (GtkWidget *widget, const char *name, GVariant *param)
{
  LinliCapturePage *self = LINLI_CAPTURE_PAGE (widget);

  linli_kiosk_user_activity (self->kiosk);
  linli_capture_discard_photo (self->capture);
  gtk_picture_set_paintable (self->photo, NULL);
  enter_camera (self);
  say (self, linli_page_get_announcement (LINLI_PAGE (self)));
}

/* ---- life cycle ---- */

static void
linli_capture_page_map (GtkWidget *widget)
{
  LinliCapturePage *self = LINLI_CAPTURE_PAGE (widget);

  GTK_WIDGET_CLASS (linli_capture_page_parent_class)->map (widget);
  self->after_paint_id = g_signal_connect (gtk_widget_get_frame_clock (widget), "after-paint",
                                           G_CALLBACK (on_after_paint), self);
  self->describe_source = g_timeout_add_seconds (1, describe_preview, self);
}

/* Leaving the screen, however (back key, end of visit, language), stops
 * the camera: no picture is taken of someone who walked away. */
static void
linli_capture_page_unmap (GtkWidget *widget)
{
  LinliCapturePage *self = LINLI_CAPTURE_PAGE (widget);

  stop_camera (self);
  g_clear_signal_handler (&self->after_paint_id, gtk_widget_get_frame_clock (widget));
  g_clear_handle_id (&self->describe_source, g_source_remove);
  GTK_WIDGET_CLASS (linli_capture_page_parent_class)->unmap (widget);
}

static void
linli_capture_page_dispose (GObject *object)
{
  LinliCapturePage *self = LINLI_CAPTURE_PAGE (object);

  if (self->capture != NULL)
    {
      stop_camera (self);
      g_signal_handlers_disconnect_by_data (self->capture, self);
    }
  g_clear_object (&self->capture);
  g_clear_object (&self->kiosk);
  gtk_widget_dispose_template (GTK_WIDGET (object), LINLI_TYPE_CAPTURE_PAGE);
  G_OBJECT_CLASS (linli_capture_page_parent_class)->dispose (object);
}

static void
linli_capture_page_finalize (GObject *object)
{
  g_free (LINLI_CAPTURE_PAGE (object)->title_text);
  G_OBJECT_CLASS (linli_capture_page_parent_class)->finalize (object);
}

static void
linli_capture_page_class_init (LinliCapturePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = linli_capture_page_dispose;
  object_class->finalize = linli_capture_page_finalize;
  widget_class->map = linli_capture_page_map;
  widget_class->unmap = linli_capture_page_unmap;

  /**
   * LinliCapturePage::finished:
   * @completed: TRUE for Done / Use this photo, FALSE for Cancel / I do not agree
   */
  signals[SIGNAL_FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/cn/linli/Kiosk/ui/linli-capture-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LinliCapturePage, title);
  gtk_widget_class_bind_template_child (widget_class, LinliCapturePage, states);
  gtk_widget_class_bind_template_child (widget_class, LinliCapturePage, consent_text);
  gtk_widget_class_bind_template_child (widget_class, LinliCapturePage, preview);
  gtk_widget_class_bind_template_child (widget_class, LinliCapturePage, oval);
  gtk_widget_class_bind_template_child (widget_class, LinliCapturePage, countdown);
  gtk_widget_class_bind_template_child (widget_class, LinliCapturePage, guidance);
  gtk_widget_class_bind_template_child (widget_class, LinliCapturePage, status);
  gtk_widget_class_bind_template_child (widget_class, LinliCapturePage, count);
  gtk_widget_class_bind_template_child (widget_class, LinliCapturePage, thumbs_scroll);
  gtk_widget_class_bind_template_child (widget_class, LinliCapturePage, thumbs);
  gtk_widget_class_bind_template_child (widget_class, LinliCapturePage, page_actions);
  gtk_widget_class_bind_template_child (widget_class, LinliCapturePage, shoot);
  gtk_widget_class_bind_template_child (widget_class, LinliCapturePage, finish);
  gtk_widget_class_bind_template_child (widget_class, LinliCapturePage, photo);
  gtk_widget_class_bind_template_child (widget_class, LinliCapturePage, result_title);
  gtk_widget_class_bind_template_child (widget_class, LinliCapturePage, result_note);

  gtk_widget_class_install_action (widget_class, "capture.shoot", NULL, action_shoot);
  gtk_widget_class_install_action (widget_class, "capture.select", "u", action_select);
  gtk_widget_class_install_action (widget_class, "capture.retake", NULL, action_retake);
  gtk_widget_class_install_action (widget_class, "capture.delete", NULL, action_delete);
  gtk_widget_class_install_action (widget_class, "capture.earlier", NULL, action_earlier);
  gtk_widget_class_install_action (widget_class, "capture.later", NULL, action_later);
  gtk_widget_class_install_action (widget_class, "capture.done", NULL, action_done);
  gtk_widget_class_install_action (widget_class, "capture.cancel", NULL, action_cancel);
  gtk_widget_class_install_action (widget_class, "capture.agree", NULL, action_agree);
  gtk_widget_class_install_action (widget_class, "capture.use-photo", NULL, action_use_photo);
  gtk_widget_class_install_action (widget_class, "capture.retake-photo", NULL, action_retake_photo);
}

static void
linli_capture_page_init (LinliCapturePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->selected = -1;
  gtk_drawing_area_set_draw_func (self->oval, draw_oval, NULL, NULL);
}

LinliCapturePage *
linli_capture_page_new (LinliKiosk *kiosk)
{
  LinliCapturePage *self = g_object_new (LINLI_TYPE_CAPTURE_PAGE, NULL);

  self->kiosk = g_object_ref (kiosk);
  self->capture = g_object_ref (linli_kiosk_get_capture (kiosk));
  g_signal_connect (self->capture, "frame", G_CALLBACK (on_frame), self);
  g_signal_connect_swapped (self->capture, "notify::still", G_CALLBACK (on_still), self);
  g_signal_connect_swapped (self->capture, "notify::capturing", G_CALLBACK (update_actions), self);
  return self;
}

static void
set_title (LinliCapturePage *self, const char *title)
{
  g_free (self->title_text);
  self->title_text = g_strdup (title);
  gtk_label_set_label (self->title, title);
}

void
linli_capture_page_start_document (LinliCapturePage *self, const char *title)
{
  g_autofree char *text = NULL;

  g_return_if_fail (LINLI_IS_CAPTURE_PAGE (self));

  self->mode = LINLI_CAPTURE_MODE_DOCUMENT;
  /* TRANSLATORS: %s is the document's name from the catalog */
  text = g_strdup_printf (_ ("Take pictures: %s"), title);
  set_title (self, text);
  linli_page_set_help (LINLI_PAGE (self),
                       _ ("Lay each page flat in the capture area; it is taken by itself when "
                          "it lies still, or press Take picture. Choose a page below to retake, "
                          "delete or move it. Choose Done when all pages are taken."));
  enter_camera (self);
}

void
linli_capture_page_start_photo (LinliCapturePage *self)
{
  g_autofree char *announcement = NULL;

  g_return_if_fail (LINLI_IS_CAPTURE_PAGE (self));

  self->mode = LINLI_CAPTURE_MODE_PHOTO;
  stop_camera (self);
  set_title (self, _ ("Photo for pension qualification certification"));
  linli_page_set_help (LINLI_PAGE (self),
                       _ ("Choose I agree to have your photo taken, or I do not agree to go "
                          "back. Nothing is taken without your consent."));
  show_state (self, "consent");
  announcement = g_strjoin (_ ("; "), self->title_text, gtk_label_get_text (self->consent_text),
                            _ ("Do you agree to have your photo taken?"), NULL);
  linli_page_set_announcement (LINLI_PAGE (self), announcement);
}

void
linli_capture_page_show_result (LinliCapturePage *self, const char *title, const char *note)
{
  g_autofree char *announcement = NULL;

  g_return_if_fail (LINLI_IS_CAPTURE_PAGE (self));

  stop_camera (self);
  gtk_label_set_label (self->result_title, title);
  gtk_label_set_label (self->result_note, note != NULL ? note : "");
  gtk_widget_set_visible (GTK_WIDGET (self->result_note), note != NULL);
  show_state (self, "result");
  announcement = g_strjoin (_ ("; "), title, note, NULL);
  linli_page_set_announcement (LINLI_PAGE (self), announcement);
  say (self, announcement);
  gtk_widget_child_focus (gtk_stack_get_visible_child (self->states), GTK_DIR_TAB_FORWARD);
}

/* A problem with the pages taken (too large together…), written under the
 * picture and said, the camera still running so that it can be fixed. */
void
linli_capture_page_show_problem (LinliCapturePage *self, const char *text)
{
  g_return_if_fail (LINLI_IS_CAPTURE_PAGE (self));
  set_status (self, text);
  if (text != NULL)
    linli_kiosk_speak (self->kiosk, text, LINLI_VOICE_PRIORITY_ALERT);
}

const char *
linli_capture_page_get_title (LinliCapturePage *self)
{
  g_return_val_if_fail (LINLI_IS_CAPTURE_PAGE (self), NULL);
  return self->title_text;
}

guint64
linli_capture_page_get_frames_drawn (LinliCapturePage *self)
{
  g_return_val_if_fail (LINLI_IS_CAPTURE_PAGE (self), 0);
  return self->frames_drawn;
}
