/* linli-service-page.c
 *
 * One screen for a home tile and for a catalog item. A category of the
 * platform's catalog lists its items as buttons. Where the kiosk cannot
 * carry a service out (no platform, or a flow this kiosk does not have
 * yet) the screen says so plainly instead of pretending: what the item is,
 * why it cannot be done here, and where to go instead.
 */
#define G_LOG_DOMAIN "linli-service-page"

#include "linli-service-page.h"

#include <glib/gi18n.h>
#include <string.h>

struct _LinliServicePage
{
  LinliPage parent_instance;

  GtkLabel *title;
  GtkLabel *detail;
  GtkBox *items;
  GtkLabel *notice;
  GtkLabel *advice;
  GtkButton *back;
  GtkButton *print;
  GtkButton *pay;
  GtkButton *cancel_pay;
  GtkLabel *qr_caption;
  GtkScrolledWindow *result_scroll;
  GtkGrid *result;
  GtkBox *qr_box;
  GtkPicture *qr;
  LinliKiosk *kiosk;
  char *item_code;         /* the item whose result this screen shows, or NULL */
  gboolean waiting_card;   /* the item runs as soon as a card is read */
  LinliPrintout *printout; /* the result shown; personal, dropped with the screen */
  GCancellable *querying;  /* while the result is fetched */
  GCancellable *printing;  /* while it is printing */
  LinliPayment *payment;   /* while a bill is being paid */
  guint countdown_id;      /* ticks the payment's time left */
};

G_DEFINE_FINAL_TYPE (LinliServicePage, linli_service_page, LINLI_TYPE_PAGE)

static void forget_result (LinliServicePage *self);

static void
linli_service_page_dispose (GObject *object)
{
  LinliServicePage *self = LINLI_SERVICE_PAGE (object);

  if (self->kiosk != NULL)
    g_signal_handlers_disconnect_by_data (self->kiosk, self);
  forget_result (self);
  g_clear_pointer (&self->item_code, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (object), LINLI_TYPE_SERVICE_PAGE);
  g_clear_object (&self->kiosk);
  G_OBJECT_CLASS (linli_service_page_parent_class)->dispose (object);
}

/* Everything of the last result goes: the screen is reused for the next
 * item and the next resident. */
static void
forget_result (LinliServicePage *self)
{
  GtkWidget *child;

  g_cancellable_cancel (self->querying);
  g_clear_object (&self->querying);
  g_cancellable_cancel (self->printing);
  g_clear_object (&self->printing);
  g_clear_object (&self->printout);
  g_clear_handle_id (&self->countdown_id, g_source_remove);
  if (self->payment != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->payment, self);
      /* Leaving the screen with the code up cancels the order. */
      linli_payment_cancel (self->payment);
      g_clear_object (&self->payment);
    }
  self->waiting_card = FALSE;
  if (self->result == NULL)
    return;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->result))) != NULL)
    gtk_grid_remove (self->result, child);
  gtk_picture_set_paintable (self->qr, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->result_scroll), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->qr_box), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->print), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->pay), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_pay), FALSE);
  gtk_label_set_label (self->qr_caption,
                       _ ("Scan this code with your phone to keep your receipt."));
}

/* Says @text and makes it what "repeat" says again. */
static void
say (LinliServicePage *self, const char *text, LinliVoicePriority priority)
{
  linli_page_set_announcement (LINLI_PAGE (self), text);
  linli_kiosk_speak (self->kiosk, text, priority);
}

static void
show_notice (LinliServicePage *self, const char *text, gboolean advice)
{
  gtk_label_set_label (self->notice, text);
  gtk_widget_set_visible (GTK_WIDGET (self->notice), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->advice), advice);
}

/* The receipt, offered as a QR code when it cannot be printed. Drawn at
 * whole pixels per module, at most about 260 px across so the screen's
 * buttons stay in view; a phone reads it from a hand's length. */
static void
show_qr (LinliServicePage *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) pixels = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  int size = 0, module;

  pixels = self->payment != NULL ? linli_payment_render_qr (self->payment, 1, &size, &error)
                                 : linli_printout_render_qr (self->printout, 1, &size, &error);
  if (pixels == NULL)
    {
      g_warning ("QR code: %s", error->message);
      return;
    }
  module = MAX (2, 260 / size);
  g_clear_pointer (&pixels, g_bytes_unref);
  pixels = self->payment != NULL ? linli_payment_render_qr (self->payment, module, &size, &error)
                                 : linli_printout_render_qr (self->printout, module, &size, &error);
  if (pixels == NULL)
    {
      g_warning ("QR code: %s", error->message);
      return;
    }
  gtk_accessible_update_property (
      GTK_ACCESSIBLE (self->qr), GTK_ACCESSIBLE_PROPERTY_LABEL,
      self->payment != NULL ? _ ("Payment QR code") : _ ("QR code of your receipt"), -1);
  texture = gdk_memory_texture_new (size, size, GDK_MEMORY_R8G8B8, pixels, (gsize) size * 3);
  gtk_picture_set_paintable (self->qr, GDK_PAINTABLE (texture));
  /* The code takes the place of the lines: it holds them. */
  gtk_widget_set_visible (GTK_WIDGET (self->result_scroll), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->qr_box), TRUE);
}

static void
on_printed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (LinliServicePage) self = user_data;
  g_autoptr (GError) error = NULL;
  gboolean printed = linli_kiosk_print_finish (LINLI_KIOSK (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->printing);
  gtk_widget_set_sensitive (GTK_WIDGET (self->print), TRUE);
  if (printed)
    {
      show_notice (self, _ ("Printing has finished. Please take your receipt from the printer."),
                   FALSE);
      say (self, gtk_label_get_text (self->notice), LINLI_VOICE_PRIORITY_SCREEN);
    }
  else
    {
      show_notice (self, error->message, FALSE);
      show_qr (self);
      say (self, error->message, LINLI_VOICE_PRIORITY_ALERT);
    }
}

/* Printing takes seconds: the resident is told at once that it started. */
static void
on_print_clicked (LinliServicePage *self)
{
  if (self->printing != NULL || self->printout == NULL)
    return;
  self->printing = g_cancellable_new ();
  gtk_widget_set_sensitive (GTK_WIDGET (self->print), FALSE);
  show_notice (self, _ ("Printing, please wait…"), FALSE);
  linli_kiosk_speak (self->kiosk, gtk_label_get_text (self->notice), LINLI_VOICE_PRIORITY_SCREEN);
  linli_kiosk_user_activity (self->kiosk);
  linli_kiosk_print_async (self->kiosk, self->printout, self->printing, on_printed,
                           g_object_ref (self));
}

static void show_printout (LinliServicePage *self);

static gboolean
tick_countdown (gpointer user_data)
{
  LinliServicePage *self = user_data;
  int left = linli_payment_get_seconds_left (self->payment);
  g_autofree char *text = g_strdup_printf (_ ("Time left to pay: %d:%02d"), left / 60, left % 60);

  gtk_label_set_label (self->qr_caption, text);
  /* The resident is busy with their phone, not the screen: a payment
   * under way keeps the visit open until the order expires. */
  linli_kiosk_user_activity (self->kiosk);
  return G_SOURCE_CONTINUE;
}

static void
on_payment_step (LinliServicePage *self)
{
  LinliPaymentStep step = linli_payment_get_step (self->payment);
  const char *message = linli_payment_get_message (self->payment);

  g_clear_handle_id (&self->countdown_id, g_source_remove);
  switch (step)
    {
    case LINLI_PAYMENT_STEP_CREATING:
      return;
    case LINLI_PAYMENT_STEP_WAITING:
      gtk_widget_set_visible (GTK_WIDGET (self->result_scroll), FALSE);
      show_qr (self);
      tick_countdown (self);
      self->countdown_id = g_timeout_add_seconds (1, tick_countdown, self);
      show_notice (self, message, FALSE);
      say (self, message, LINLI_VOICE_PRIORITY_SCREEN);
      return;
    case LINLI_PAYMENT_STEP_PAID:
      {
        g_autoptr (LinliPayment) payment = g_steal_pointer (&self->payment);
        LinliPrintout *receipt = linli_payment_get_receipt (payment);
        GtkWidget *child;

        g_signal_handlers_disconnect_by_data (payment, self);
        gtk_widget_set_visible (GTK_WIDGET (self->qr_box), FALSE);
        gtk_widget_set_visible (GTK_WIDGET (self->cancel_pay), FALSE);
        while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->result))) != NULL)
          gtk_grid_remove (self->result, child);
        g_autofree char *notice = NULL;

        g_set_object (&self->printout, receipt);
        /* Spoken from its title on: "payment received", the lines, the note. */
        show_printout (self);
        /* TRANSLATORS: two sentences in a row; Chinese needs no space between. */
        notice = g_strdup_printf (C_ ("two sentences", "%s %s"), message,
                                  linli_printout_get_note (receipt));
        show_notice (self, notice, FALSE);
        return;
      }
    case LINLI_PAYMENT_STEP_EXPIRED:
    case LINLI_PAYMENT_STEP_CANCELLED:
    case LINLI_PAYMENT_STEP_FAILED:
    default:
      /* The bill is shown again: the resident may try once more. */
      g_signal_handlers_disconnect_by_data (self->payment, self);
      g_clear_object (&self->payment);
      gtk_widget_set_visible (GTK_WIDGET (self->qr_box), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->cancel_pay), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->result_scroll), TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->pay), step != LINLI_PAYMENT_STEP_FAILED);
      show_notice (self, message, step == LINLI_PAYMENT_STEP_FAILED);
      say (self, message, LINLI_VOICE_PRIORITY_ALERT);
      return;
    }
}

static void
on_pay_clicked (LinliServicePage *self)
{
  g_autoptr (GError) error = NULL;

  if (self->payment != NULL || self->printout == NULL)
    return;
  linli_kiosk_user_activity (self->kiosk);
  self->payment = linli_kiosk_start_payment (self->kiosk, self->printout, &error);
  if (self->payment == NULL)
    {
      show_notice (self, error->message, TRUE);
      say (self, error->message, LINLI_VOICE_PRIORITY_ALERT);
      return;
    }
  g_signal_connect_swapped (self->payment, "notify::step", G_CALLBACK (on_payment_step), self);
  gtk_widget_set_visible (GTK_WIDGET (self->pay), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_pay), TRUE);
  gtk_label_set_label (self->qr_caption, "");
  show_notice (self, linli_payment_get_message (self->payment), FALSE);
  say (self, linli_payment_get_message (self->payment), LINLI_VOICE_PRIORITY_SCREEN);
  /* Focus stays on a control that is still there. */
  gtk_widget_grab_focus (GTK_WIDGET (self->cancel_pay));
}

static void
on_cancel_pay_clicked (LinliServicePage *self)
{
  linli_kiosk_user_activity (self->kiosk);
  if (self->payment != NULL)
    linli_payment_cancel (self->payment);
}

static void
show_printout (LinliServicePage *self)
{
  guint n = linli_printout_get_n_lines (self->printout);
  const char *note = linli_printout_get_note (self->printout);
  g_autofree char *spoken = linli_printout_get_spoken (self->printout);

  for (guint i = 0; i < n; i++)
    {
      const char *label, *value, *line_spoken;
      GtkWidget *name, *data;

      linli_printout_get_line (self->printout, i, &label, &value, &line_spoken);
      name = gtk_label_new (label);
      data = gtk_label_new (value);
      gtk_label_set_xalign (GTK_LABEL (name), 0);
      gtk_label_set_xalign (GTK_LABEL (data), 1);
      /* Values are short (amounts, statuses) and never broken; long labels
       * (an application's title) wrap instead. */
      gtk_label_set_wrap (GTK_LABEL (name), TRUE);
      gtk_label_set_width_chars (GTK_LABEL (name), 10);
      gtk_label_set_max_width_chars (GTK_LABEL (name), 18);
      gtk_label_set_wrap (GTK_LABEL (data), TRUE);
      gtk_label_set_width_chars (GTK_LABEL (data), 8);
      gtk_label_set_max_width_chars (GTK_LABEL (data), 18);
      gtk_widget_add_css_class (name, "result-label");
      gtk_widget_add_css_class (data, "result-value");
      gtk_grid_attach (self->result, name, 0, (int) i, 1, 1);
      gtk_grid_attach (self->result, data, 1, (int) i, 1, 1);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->result_scroll), n > 0);
  show_notice (self, note != NULL ? note : "", FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->notice), note != NULL);
  /* A bill is paid first; its receipt is printed after. */
  gtk_widget_set_visible (GTK_WIDGET (self->pay), linli_printout_get_payable (self->printout));
  gtk_widget_set_visible (GTK_WIDGET (self->print),
                          !linli_printout_get_payable (self->printout)
                              && linli_printout_get_printable (self->printout));
  say (self, spoken, LINLI_VOICE_PRIORITY_SCREEN);
  explicit_bzero (spoken, strlen (spoken));
}

/* The end of a query or a submission: its printout (taken), or why not. */
static void
show_outcome (LinliServicePage *self, LinliPrintout *printout, const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_object (&printout);
      return;
    }
  g_clear_object (&self->querying);
  if (printout == NULL)
    {
      show_notice (self, error->message, TRUE);
      say (self, error->message, LINLI_VOICE_PRIORITY_ALERT);
      return;
    }
  self->printout = printout;
  show_printout (self);
}

static void
on_query_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (LinliServicePage) self = user_data;
  g_autoptr (GError) error = NULL;
  LinliPrintout *printout = linli_kiosk_query_finish (LINLI_KIOSK (source), result, &error);

  show_outcome (self, printout, error);
}

/* Runs the item for the resident on the reader, or asks for the card and
 * runs it when the card has been read. */
static void
run_item (LinliServicePage *self, gboolean speak)
{
  forget_result (self);
  if (linli_kiosk_get_identity (self->kiosk) == NULL)
    {
      self->waiting_card = TRUE;
      show_notice (self, _ ("Please place your ID card on the reader."), FALSE);
      if (speak)
        say (self, gtk_label_get_text (self->notice), LINLI_VOICE_PRIORITY_SCREEN);
      return;
    }
  self->querying = g_cancellable_new ();
  show_notice (self, _ ("Looking this up, please wait…"), FALSE);
  if (speak)
    say (self, gtk_label_get_text (self->notice), LINLI_VOICE_PRIORITY_SCREEN);
  linli_kiosk_query_async (self->kiosk, self->item_code, self->querying, on_query_done,
                           g_object_ref (self));
}

static void
on_identity_changed (LinliServicePage *self)
{
  if (self->waiting_card && linli_kiosk_get_identity (self->kiosk) != NULL
      && gtk_widget_get_mapped (GTK_WIDGET (self)))
    run_item (self, TRUE);
  else if (linli_kiosk_get_identity (self->kiosk) == NULL && self->printout != NULL)
    /* The card went: so does what it showed. */
    forget_result (self);
}

static void
linli_service_page_class_init (LinliServicePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = linli_service_page_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/cn/linli/Kiosk/ui/linli-service-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LinliServicePage, title);
  gtk_widget_class_bind_template_child (widget_class, LinliServicePage, detail);
  gtk_widget_class_bind_template_child (widget_class, LinliServicePage, items);
  gtk_widget_class_bind_template_child (widget_class, LinliServicePage, notice);
  gtk_widget_class_bind_template_child (widget_class, LinliServicePage, back);
  gtk_widget_class_bind_template_child (widget_class, LinliServicePage, print);
  gtk_widget_class_bind_template_child (widget_class, LinliServicePage, result_scroll);
  gtk_widget_class_bind_template_child (widget_class, LinliServicePage, result);
  gtk_widget_class_bind_template_child (widget_class, LinliServicePage, qr_box);
  gtk_widget_class_bind_template_child (widget_class, LinliServicePage, qr);
  gtk_widget_class_bind_template_child (widget_class, LinliServicePage, pay);
  gtk_widget_class_bind_template_child (widget_class, LinliServicePage, cancel_pay);
  gtk_widget_class_bind_template_child (widget_class, LinliServicePage, qr_caption);
  gtk_widget_class_bind_template_callback (widget_class, on_print_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_pay_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_pay_clicked);
  gtk_widget_class_bind_template_child (widget_class, LinliServicePage, advice);
}

static void
linli_service_page_init (LinliServicePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* The screen is read as it is shown: title, what the item is, then either
 * how many services there are to choose from, or the notice and the advice. */
static void
announce (LinliServicePage *self, guint n_items)
{
  g_autofree char *text = NULL;

  if (n_items > 0)
    {
      g_autofree char *count = g_strdup_printf (
          ngettext ("There is %u service. Use the arrow keys to hear it.",
                    "There are %u services. Use the arrow keys to hear them.", n_items),
          n_items);
      text = g_strjoin (_ ("; "), gtk_label_get_text (self->title),
                        gtk_label_get_text (self->detail), count, NULL);
    }
  else
    text = g_strjoin (_ ("; "), gtk_label_get_text (self->title), gtk_label_get_text (self->detail),
                      gtk_label_get_text (self->notice),
                      gtk_widget_get_visible (GTK_WIDGET (self->advice))
                          ? gtk_label_get_text (self->advice)
                          : NULL,
                      NULL);

  linli_page_set_announcement (LINLI_PAGE (self), text);
}

static void
clear_items (LinliServicePage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->items))) != NULL)
    gtk_box_remove (self->items, child);
}

/* Items are big buttons, one per line, named and spoken by the catalog. */
static guint
fill_items (LinliServicePage *self, GListModel *items)
{
  const char *language = linli_kiosk_get_language (self->kiosk);
  guint n = g_list_model_get_n_items (items);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (LinliServiceTile) item = g_list_model_get_item (items, i);
      const char *title = linli_service_tile_get_title (item, language);
      GtkWidget *button = gtk_button_new_with_label (title);

      gtk_widget_add_css_class (button, "big");
      gtk_widget_add_css_class (button, "item");
      /* One width for all, wide enough for the longest title. */
      gtk_widget_set_size_request (button, 880, -1);
      gtk_label_set_wrap (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (button))), TRUE);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "kiosk.open-service");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s",
                                        linli_service_tile_get_code (item));
      linli_widget_set_speech (button, linli_service_tile_get_spoken (item, language));
      gtk_box_append (self->items, button);
    }
  return n;
}

/* The flows whose result this screen shows and prints. */
static gboolean
item_shows_result (LinliServiceTile *tile)
{
  const char *flow = linli_service_tile_get_item_flow (tile);

  return g_strcmp0 (flow, "certificate") == 0 || g_strcmp0 (flow, "info") == 0
         || g_strcmp0 (flow, "status") == 0 || g_strcmp0 (flow, "payment") == 0;
}

/* The screen is read as: title, what the item is, then what happens now. */
static void
announce_with_notice (LinliServicePage *self)
{
  g_autofree char *text
      = g_strjoin (_ ("; "), gtk_label_get_text (self->title), gtk_label_get_text (self->detail),
                   gtk_label_get_text (self->notice), NULL);

  linli_page_set_announcement (LINLI_PAGE (self), text);
}

LinliServicePage *
linli_service_page_new (LinliKiosk *kiosk)
{
  LinliServicePage *self = g_object_new (LINLI_TYPE_SERVICE_PAGE, NULL);

  self->kiosk = g_object_ref (kiosk);
  g_signal_connect_swapped (kiosk, "notify::identity", G_CALLBACK (on_identity_changed), self);
  return self;
}

void
linli_service_page_set_tile (LinliServicePage *self, LinliServiceTile *tile)
{
  const char *language;
  LinliServiceFlow flow;
  g_autoptr (GListModel) items = NULL;
  guint n_items;

  g_return_if_fail (LINLI_IS_SERVICE_PAGE (self));
  g_return_if_fail (LINLI_IS_SERVICE_TILE (tile));

  /* A new screen forgets the result and any print of the last one. */
  forget_result (self);
  g_clear_pointer (&self->item_code, g_free);
  language = linli_kiosk_get_language (self->kiosk);
  gtk_label_set_label (self->title, linli_service_tile_get_title (tile, language));
  gtk_label_set_label (self->detail, linli_service_tile_get_detail (tile, language));
  clear_items (self);

  flow = linli_service_tile_get_flow (tile);
  /* From an item, back goes to its category; from a category, home. */
  gtk_button_set_label (self->back,
                        flow == LINLI_SERVICE_FLOW_ITEM ? _ ("Back") : _ ("Back to home"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->back),
                                  flow == LINLI_SERVICE_FLOW_ITEM ? "kiosk.back" : "kiosk.home");

  if (flow == LINLI_SERVICE_FLOW_SERVICE)
    items = linli_kiosk_get_category_items (self->kiosk, linli_service_tile_get_code (tile));
  n_items = items != NULL ? fill_items (self, items) : 0;
  /* The buttons name the items: the line above says what to do instead. */
  if (n_items > 0)
    gtk_label_set_label (self->detail, _ ("Choose a service."));
  gtk_widget_set_visible (GTK_WIDGET (self->items), n_items > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->notice), n_items == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->advice), n_items == 0);
  if (n_items > 0)
    {
      announce (self, n_items);
      return;
    }

  if (flow == LINLI_SERVICE_FLOW_ITEM && item_shows_result (tile))
    {
      self->item_code = g_strdup (linli_service_tile_get_code (tile));
      gtk_widget_set_visible (GTK_WIDGET (self->advice), FALSE);
      run_item (self, FALSE);
      announce_with_notice (self);
      return;
    }
  if (flow == LINLI_SERVICE_FLOW_ITEM
      && (g_strcmp0 (linli_service_tile_get_item_flow (tile), "certification") == 0
          || g_strcmp0 (linli_service_tile_get_item_flow (tile), "application") == 0))
    {
      /* The window opens the consent screen or the form once a card is
       * read. */
      gtk_label_set_label (self->notice, _ ("Please place your ID card on the reader."));
      gtk_widget_set_visible (GTK_WIDGET (self->advice), FALSE);
      announce_with_notice (self);
      return;
    }
  if (flow == LINLI_SERVICE_FLOW_ITEM)
    gtk_label_set_label (self->notice,
                         _ ("This kiosk cannot do this service yet. Staff at the service desk "
                            "can do it for you."));
  else if (flow == LINLI_SERVICE_FLOW_STATUS)
    gtk_label_set_label (self->notice,
                         _ ("Looking up an application needs the county platform. This kiosk is "
                            "not connected to it yet, so it cannot show the status here."));
  else
    gtk_label_set_label (self->notice,
                         _ ("This service needs the county platform. This kiosk is not connected "
                            "to it yet, so the service cannot be done here today."));
  announce (self, 0);
}

static void
on_submitted (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (LinliServicePage) self = user_data;
  g_autoptr (GError) error = NULL;
  GTask *task = G_TASK (result);
  LinliPrintout *printout
      = g_task_get_source_tag (task) == linli_kiosk_submit_certification_async
            ? linli_kiosk_submit_certification_finish (LINLI_KIOSK (source), result, &error)
            : linli_kiosk_submit_application_finish (LINLI_KIOSK (source), result, &error);

  show_outcome (self, printout, error);
}

/* @tile's screen, saying @notice while a submission goes. */
static void
begin_submission (LinliServicePage *self, LinliServiceTile *tile, const char *notice)
{
  const char *language;

  forget_result (self);
  clear_items (self);
  g_free (self->item_code);
  self->item_code = g_strdup (linli_service_tile_get_code (tile));
  language = linli_kiosk_get_language (self->kiosk);
  gtk_label_set_label (self->title, linli_service_tile_get_title (tile, language));
  gtk_label_set_label (self->detail, linli_service_tile_get_detail (tile, language));
  gtk_button_set_label (self->back, _ ("Back"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->back), "kiosk.back");
  gtk_widget_set_visible (GTK_WIDGET (self->items), FALSE);
  show_notice (self, notice, FALSE);
  announce_with_notice (self);
  self->querying = g_cancellable_new ();
}

/**
 * linli_service_page_submit_certification:
 * @tile: the certification item
 * @photo: the photo the resident chose, taken after @consent_at
 *
 * Shows @tile's screen while the certification is submitted, then its
 * result and receipt (or why not).
 */
void
linli_service_page_submit_certification (LinliServicePage *self,
                                         LinliServiceTile *tile,
                                         GBytes *photo,
                                         GDateTime *consent_at,
                                         GDateTime *captured_at)
{
  g_return_if_fail (LINLI_IS_SERVICE_PAGE (self));
  g_return_if_fail (LINLI_IS_SERVICE_TILE (tile));
  g_return_if_fail (photo != NULL && consent_at != NULL && captured_at != NULL);

  begin_submission (self, tile, _ ("Sending your certification, please wait…"));
  linli_kiosk_submit_certification_async (self->kiosk, photo, consent_at, captured_at,
                                          self->querying, on_submitted, g_object_ref (self));
}

/**
 * linli_service_page_submit_application:
 * @tile: the application item
 * @form: its form, the summary confirmed by the resident
 *
 * Shows @tile's screen while the application is filed, then its
 * application number and receipt (or why not).
 */
void
linli_service_page_submit_application (LinliServicePage *self,
                                       LinliServiceTile *tile,
                                       LinliForm *form)
{
  g_return_if_fail (LINLI_IS_SERVICE_PAGE (self));
  g_return_if_fail (LINLI_IS_SERVICE_TILE (tile));
  g_return_if_fail (LINLI_IS_FORM (form));

  begin_submission (self, tile, _ ("Sending your application, please wait…"));
  linli_kiosk_submit_application_async (self->kiosk, form, self->querying, on_submitted,
                                        g_object_ref (self));
}
