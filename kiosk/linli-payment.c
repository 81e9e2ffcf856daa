/* linli-payment.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One payment order, from creation to a terminal state. The order is
 * created with an Idempotency-Key of its own, so a retried request never
 * makes a second order; its state is then polled (the platform has no
 * push channel to a kiosk). The receipt is filled only from what the
 * platform confirmed: amount, order number, transaction number, time.
 */
#define G_LOG_DOMAIN "linli-payment"

#include "linli-payment-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "linli-printout-private.h"
#include "linli-spoken.h"

/* How long after its expiry an order whose state cannot be read is given
 * up on: the resident is then sent to the desk with the order number. */
#define GIVE_UP_AFTER_EXPIRY_S 60

struct _LinliPayment
{
  GObject parent_instance;

  LinliPlatform *platform;
  LinliPrintout *bill;
  LinliReceipt *receipt; /* the payment template, filled but for the order */
  char *resident_ref;
  char *language;
  char *idempotency_key;
  guint poll_interval_ms;

  LinliPaymentStep step;
  char *message;
  LinliPaymentOrder *order;
  LinliPrintout *paid;
  GCancellable *cancellable;
  guint poll_id;
  gboolean polling; /* a request is out */
};

G_DEFINE_FINAL_TYPE (LinliPayment, linli_payment, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_STEP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
linli_payment_dispose (GObject *object)
{
  LinliPayment *self = LINLI_PAYMENT (object);

  /* A screen that goes away with the QR code still up takes the order
   * with it: nobody is left to be told that it was paid. */
  if (self->step == LINLI_PAYMENT_STEP_WAITING && self->order != NULL && self->platform != NULL)
    linli_platform_cancel_payment_order_async (self->platform, self->order->order_id, NULL, NULL,
                                               NULL);
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->platform);
  g_clear_object (&self->bill);
  g_clear_object (&self->receipt);
  g_clear_object (&self->paid);
  g_clear_pointer (&self->order, linli_payment_order_unref);
  G_OBJECT_CLASS (linli_payment_parent_class)->dispose (object);
}

static void
linli_payment_finalize (GObject *object)
{
  LinliPayment *self = LINLI_PAYMENT (object);

  g_free (self->resident_ref);
  g_free (self->language);
  g_free (self->idempotency_key);
  g_free (self->message);
  G_OBJECT_CLASS (linli_payment_parent_class)->finalize (object);
}

static void
linli_payment_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  LinliPayment *self = LINLI_PAYMENT (object);

  switch (prop_id)
    {
    case PROP_STEP:
      g_value_set_int (value, self->step);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
linli_payment_class_init (LinliPaymentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = linli_payment_dispose;
  object_class->finalize = linli_payment_finalize;
  object_class->get_property = linli_payment_get_property;

  /* A LinliPaymentStep. */
  properties[PROP_STEP]
      = g_param_spec_int ("step", NULL, NULL, LINLI_PAYMENT_STEP_CREATING,
                          LINLI_PAYMENT_STEP_FAILED, LINLI_PAYMENT_STEP_CREATING,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
linli_payment_init (LinliPayment *self)
{
  self->cancellable = g_cancellable_new ();
  self->poll_interval_ms = 2000;
  self->idempotency_key = g_uuid_string_random ();
}

static void
set_step (LinliPayment *self, LinliPaymentStep step, const char *message)
{
  g_free (self->message);
  self->message = g_strdup (message);
  if (self->step == step)
    return;
  self->step = step;
  g_info ("payment: %s", step == LINLI_PAYMENT_STEP_CREATING    ? "creating"
                         : step == LINLI_PAYMENT_STEP_WAITING   ? "waiting"
                         : step == LINLI_PAYMENT_STEP_PAID      ? "paid"
                         : step == LINLI_PAYMENT_STEP_EXPIRED   ? "expired"
                         : step == LINLI_PAYMENT_STEP_CANCELLED ? "cancelled"
                                                                : "failed");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEP]);
}

static gboolean
is_terminal (LinliPaymentStep step)
{
  return step >= LINLI_PAYMENT_STEP_PAID;
}

static char *
format_yuan (gint64 fen)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT ".%02d 元", fen / 100, (int) (fen % 100));
}

/* The receipt, from the order as the platform confirmed it. */
static LinliPrintout *
paid_printout (LinliPayment *self, GError **error)
{
  LinliPaymentOrder *order = self->order;
  g_autofree char *amount = format_yuan (order->amount_fen);
  g_autoptr (GDateTime) paid_at
      = g_date_time_to_local (order->paid_at != NULL ? order->paid_at : order->created_at);
  g_autofree char *when = g_date_time_format (paid_at, "%Y-%m-%d %H:%M");
  g_autofree char *screen_amount = NULL;
  g_autofree char *spoken_amount = NULL;
  g_autofree char *spoken = NULL;
  g_autofree char *spoken_order = NULL;
  g_autofree char *spoken_line = NULL;
  LinliPrintout *printout;
  LinliPayableKind kind;
  const char *payable_id, *item, *account, *holder;
  gint64 expected;

  linli_printout_get_payable_details (self->bill, &kind, &payable_id, &expected, &item, &account,
                                      &holder);
  if (!linli_receipt_set (self->receipt, "amount", amount, error)
      || !linli_receipt_set (self->receipt, "order_number", order->order_id, error)
      || (order->transaction_id != NULL
          && !linli_receipt_set (self->receipt, "transaction_id", order->transaction_id, error))
      || !linli_receipt_set (self->receipt, "datetime", when, error))
    return NULL;

  printout = linli_printout_new (_ ("Payment received"), g_object_ref (self->receipt));
  linli_printout_set_number (printout, order->order_id);
  linli_printout_add_line (printout, _ ("Item"), item, NULL);
  screen_amount = g_strdup_printf ("%" G_GINT64_FORMAT ".%02d", order->amount_fen / 100,
                                   (int) (order->amount_fen % 100));
  spoken_amount = linli_spoken_amount (order->amount_fen, self->language);
  g_free (g_steal_pointer (&amount));
  /* TRANSLATORS: an amount of money; %s is the number with two decimals. */
  amount = g_strdup_printf (_ ("%s yuan"), screen_amount);
  spoken = g_strdup_printf ("%s，%s", _ ("Amount paid"), spoken_amount);
  linli_printout_add_line (printout, _ ("Amount paid"), amount, spoken);
  spoken_order = linli_spoken_digits (order->order_id, self->language);
  spoken_line = g_strdup_printf ("%s，%s", _ ("Order number"), spoken_order);
  linli_printout_add_line (printout, _ ("Order number"), order->order_id, spoken_line);
  linli_printout_add_line (printout, _ ("Time"), when, NULL);
  linli_printout_set_note (printout, _ ("Choose Print to take your payment receipt."));
  return printout;
}

static void schedule_poll (LinliPayment *self);

/* Applies the order as the platform last told it. */
static void
apply_order (LinliPayment *self, LinliPaymentOrder *order)
{
  g_autoptr (GError) error = NULL;

  g_clear_pointer (&self->order, linli_payment_order_unref);
  self->order = linli_payment_order_ref (order);
  switch (order->state)
    {
    case LINLI_PAYMENT_STATE_PAID:
      self->paid = paid_printout (self, &error);
      if (self->paid == NULL)
        {
          /* Paid, but the receipt cannot be made: the resident must still
           * hear that the money arrived, and gets the order number. */
          g_warning ("payment receipt: %s", error->message);
          g_autofree char *text = g_strdup_printf (
              _ ("The payment was received. The receipt could not be prepared: staff at the "
                 "service desk can print it with the order number %s."),
              order->order_id);
          set_step (self, LINLI_PAYMENT_STEP_FAILED, text);
          return;
        }
      set_step (self, LINLI_PAYMENT_STEP_PAID, _ ("The payment was received. Thank you."));
      return;
    case LINLI_PAYMENT_STATE_EXPIRED:
      set_step (self, LINLI_PAYMENT_STEP_EXPIRED,
                _ ("The time to pay has run out. Nothing was paid. You can start again."));
      return;
    case LINLI_PAYMENT_STATE_CANCELLED:
      set_step (self, LINLI_PAYMENT_STEP_CANCELLED,
                _ ("The payment was cancelled. Nothing was paid."));
      return;
    case LINLI_PAYMENT_STATE_PENDING:
    default:
      if (self->step == LINLI_PAYMENT_STEP_CREATING)
        {
          g_autofree char *amount
              = g_strdup_printf ("%" G_GINT64_FORMAT ".%02d", order->amount_fen / 100,
                                 (int) (order->amount_fen % 100));
          g_autofree char *text = g_strdup_printf (
              _ ("Please scan the code with your phone and pay %s yuan."), amount);
          set_step (self, LINLI_PAYMENT_STEP_WAITING, text);
        }
      schedule_poll (self);
      return;
    }
}

static void
on_polled (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (LinliPayment) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliPaymentOrder) order
      = linli_platform_get_payment_order_finish (LINLI_PLATFORM (source), result, &error);

  self->polling = FALSE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || is_terminal (self->step))
    return;
  if (order != NULL)
    {
      apply_order (self, order);
      return;
    }
  /* A network hiccup while the resident pays is no reason to give up: the
   * order is still on the platform. Only long after its expiry does the
   * kiosk stop asking, and then it says it does not know. */
  g_info ("payment: state not read: %s", error->message);
  {
    g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

    if (g_date_time_difference (now, self->order->expires_at)
        > (GTimeSpan) GIVE_UP_AFTER_EXPIRY_S * G_TIME_SPAN_SECOND)
      {
        g_autofree char *text = g_strdup_printf (
            _ ("The kiosk cannot find out whether the payment went through. If money was taken, "
               "staff at the service desk can check it with the order number %s."),
            self->order->order_id);
        set_step (self, LINLI_PAYMENT_STEP_FAILED, text);
        return;
      }
  }
  schedule_poll (self);
}

static gboolean
poll_now (gpointer user_data)
{
  LinliPayment *self = user_data;

  self->poll_id = 0;
  self->polling = TRUE;
  linli_platform_get_payment_order_async (self->platform, self->order->order_id, self->cancellable,
                                          on_polled, g_object_ref (self));
  return G_SOURCE_REMOVE;
}

static void
schedule_poll (LinliPayment *self)
{
  if (self->poll_id == 0 && !self->polling)
    self->poll_id = g_timeout_add (self->poll_interval_ms, poll_now, self);
}

static void
on_created (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (LinliPayment) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliPaymentOrder) order
      = linli_platform_create_payment_order_finish (LINLI_PLATFORM (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (order == NULL)
    {
      /* The platform's messages are written for residents (an amount
       * that changed, a bill paid elsewhere meanwhile…). */
      set_step (self, LINLI_PAYMENT_STEP_FAILED, error->message);
      return;
    }
  apply_order (self, order);
}

LinliPayment *
linli_payment_new (LinliPlatform *platform,
                   LinliPrintout *bill,
                   LinliReceipt *receipt,
                   const char *resident_ref,
                   const char *language)
{
  LinliPayment *self;
  LinliPayableKind kind;
  const char *payable_id, *item, *account, *holder;
  gint64 amount;

  g_return_val_if_fail (LINLI_IS_PLATFORM (platform), NULL);
  g_return_val_if_fail (LINLI_IS_PRINTOUT (bill), NULL);
  g_return_val_if_fail (LINLI_IS_RECEIPT (receipt), NULL);
  g_return_val_if_fail (linli_printout_get_payable (bill), NULL);

  self = g_object_new (LINLI_TYPE_PAYMENT, NULL);
  self->platform = g_object_ref (platform);
  self->bill = g_object_ref (bill);
  self->receipt = receipt;
  self->resident_ref = g_strdup (resident_ref);
  self->language = g_strdup (language);
  self->message = g_strdup (_ ("Preparing the payment, please wait…"));
  linli_printout_get_payable_details (bill, &kind, &payable_id, &amount, &item, &account, &holder);
  linli_platform_create_payment_order_async (platform, kind, payable_id, amount, resident_ref,
                                             self->idempotency_key, self->cancellable, on_created,
                                             g_object_ref (self));
  return self;
}

void
linli_payment_set_poll_interval (LinliPayment *self, guint interval_ms)
{
  g_return_if_fail (LINLI_IS_PAYMENT (self));
  self->poll_interval_ms = MAX (interval_ms, 100);
}

LinliPaymentStep
linli_payment_get_step (LinliPayment *self)
{
  g_return_val_if_fail (LINLI_IS_PAYMENT (self), LINLI_PAYMENT_STEP_FAILED);
  return self->step;
}

const char *
linli_payment_get_message (LinliPayment *self)
{
  g_return_val_if_fail (LINLI_IS_PAYMENT (self), NULL);
  return self->message;
}

GBytes *
linli_payment_render_qr (LinliPayment *self, int module_px, int *size_px, GError **error)
{
  g_return_val_if_fail (LINLI_IS_PAYMENT (self), NULL);
  if (self->order == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no order yet");
      return NULL;
    }
  return linli_receipt_qr_pixels (self->order->qr_payload, module_px, size_px, error);
}

int
linli_payment_get_seconds_left (LinliPayment *self)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  GTimeSpan left;

  g_return_val_if_fail (LINLI_IS_PAYMENT (self), 0);
  if (self->order == NULL)
    return 0;
  left = g_date_time_difference (self->order->expires_at, now);
  return left > 0 ? (int) (left / G_TIME_SPAN_SECOND) : 0;
}

LinliPrintout *
linli_payment_get_receipt (LinliPayment *self)
{
  g_return_val_if_fail (LINLI_IS_PAYMENT (self), NULL);
  return self->paid;
}

static void
on_cancelled (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (LinliPayment) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (LinliPaymentOrder) order
      = linli_platform_cancel_payment_order_finish (LINLI_PLATFORM (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || is_terminal (self->step))
    return;
  if (order != NULL)
    {
      /* Cancelled — or paid a moment before: the platform decides. */
      apply_order (self, order);
      return;
    }
  /* The cancel did not arrive: the order stays unpaid and expires on its
   * own; the poll that follows says how it ends. */
  g_info ("payment: cancel not sent: %s", error->message);
  schedule_poll (self);
}

void
linli_payment_cancel (LinliPayment *self)
{
  g_return_if_fail (LINLI_IS_PAYMENT (self));

  if (is_terminal (self->step))
    return;
  if (self->step == LINLI_PAYMENT_STEP_CREATING)
    {
      /* No QR code was shown: an order made meanwhile is never paid and
       * expires on the platform. */
      g_cancellable_cancel (self->cancellable);
      set_step (self, LINLI_PAYMENT_STEP_CANCELLED,
                _ ("The payment was cancelled. Nothing was paid."));
      return;
    }
  g_clear_handle_id (&self->poll_id, g_source_remove);
  linli_platform_cancel_payment_order_async (self->platform, self->order->order_id,
                                             self->cancellable, on_cancelled, g_object_ref (self));
}
