/* linli-sim-response.c — answers of the simulator and the contract's table
 * of error codes, with messages written for residents.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "linli-sim"

#include "linli-sim-response.h"

#include <string.h>

typedef struct
{
  const char *code;
  guint status;
  const char *zh;
  const char *en;
} ErrorCode;

/* The table of components/schemas/Error. Short, polite, no jargon, no
 * personal data, and what to do next: the kiosk shows and speaks them. */
static const ErrorCode error_codes[] = {
  { "BAD_REQUEST", 400, "请求有误，请重试或到人工窗口办理。",
    "Something went wrong with the request. Please try again or go to a staffed counter." },
  { "INVALID_ID_NUMBER", 400, "身份证号码有误，请重新读卡或核对号码。",
    "The ID number is not valid. Please read the card again or check the number." },
  { "IDEMPOTENCY_KEY_MISSING", 400, "提交出现问题，请到人工窗口办理。",
    "Something went wrong with this submission. Please go to a staffed counter." },
  { "CLIENT_CERT_REQUIRED", 401, "本机暂时无法连接政务服务平台，请到人工窗口办理。",
    "This kiosk cannot reach the government service platform just now. Please go to a staffed "
    "counter." },
  { "CLIENT_CERT_INVALID", 401, "本机暂时无法连接政务服务平台，请到人工窗口办理。",
    "This kiosk cannot reach the government service platform just now. Please go to a staffed "
    "counter." },
  { "KIOSK_ID_MISMATCH", 403, "本机暂时无法连接政务服务平台，请到人工窗口办理。",
    "This kiosk cannot reach the government service platform just now. Please go to a staffed "
    "counter." },
  { "KIOSK_NOT_REGISTERED", 403, "本机尚未开通服务，请到人工窗口办理。",
    "This kiosk is not in service yet. Please go to a staffed counter." },
  { "KIOSK_DISABLED", 403, "本机已暂停服务，请到人工窗口办理。",
    "This kiosk is out of service. Please go to a staffed counter." },
  { "ITEM_NOT_ALLOWED", 403, "本机不能办理这项业务，请到人工窗口办理。",
    "This service is not offered on this kiosk. Please go to a staffed counter." },
  { "NOT_FOUND", 404, "没有找到相关内容，请返回重试。",
    "We could not find that. Please go back and try again." },
  { "RESIDENT_NOT_FOUND", 404, "没有查到您的信息，请到人工窗口咨询。",
    "We could not find your records. Please ask at a staffed counter." },
  { "RESIDENT_REF_EXPIRED", 404, "操作时间较长，请重新放置证件。",
    "This took a while. Please place your card again." },
  { "ITEM_NOT_FOUND", 404, "这项业务暂不提供，请到人工窗口咨询。",
    "This service is not available. Please ask at a staffed counter." },
  { "ACCOUNT_NOT_FOUND", 404, "没有查到这个账户，请核对户号或到人工窗口咨询。",
    "We could not find this account. Please check the number or ask at a staffed counter." },
  { "ORDER_NOT_FOUND", 404, "没有查到这笔缴费订单，请重新缴费。",
    "We could not find this payment. Please start the payment again." },
  { "APPLICATION_NOT_FOUND", 404, "没有查到这个办件编号，请核对后重试。",
    "We could not find this application number. Please check it and try again." },
  { "CERTIFICATION_NOT_FOUND", 404, "没有查到这次认证记录，请到人工窗口咨询。",
    "We could not find this certification. Please ask at a staffed counter." },
  { "IDEMPOTENCY_CONFLICT", 409, "提交出现问题，请到人工窗口办理。",
    "Something went wrong with this submission. Please go to a staffed counter." },
  { "IDEMPOTENCY_IN_PROGRESS", 409, "正在处理您的提交，请稍候。",
    "Your submission is being processed. Please wait a moment." },
  { "AMOUNT_MISMATCH", 409, "账单金额有变化，请重新查询后再缴费。",
    "The amount of this bill has changed. Please look it up again before paying." },
  { "ALREADY_PAID", 409, "这笔费用已经缴过了，不用再缴。",
    "This has already been paid. There is nothing more to pay." },
  { "ORDER_NOT_CANCELLABLE", 409, "这笔费用已经支付成功，不能取消。",
    "This payment has already gone through, so it cannot be cancelled." },
  { "ALREADY_EVALUATED", 409, "这个办件已经评价过了，谢谢您。",
    "This application has already been rated. Thank you." },
  { "PAYLOAD_TOO_LARGE", 413, "材料文件过大，请减少页数后重试。",
    "The documents are too large. Please capture fewer pages and try again." },
  { "VALIDATION_FAILED", 422, "有信息需要修改，请查看标红的内容。",
    "Some information needs correcting. Please check the items marked in red." },
  { "DOCUMENT_MISSING", 422, "还缺少材料，请按提示拍摄后再提交。",
    "A document is missing. Please capture it as shown and submit again." },
  { "NOT_ELIGIBLE", 422, "您暂时不能在自助机办理这项业务，请到人工窗口咨询。",
    "You cannot use this service at the kiosk. Please ask at a staffed counter." },
  { "CONSENT_REQUIRED", 422, "需要您同意后才能拍照认证。",
    "We need your consent before taking the photo." },
  { "PHOTO_UNUSABLE", 422, "照片不够清楚，请正对镜头重新拍照。",
    "The photo is not clear enough. Please face the camera and take it again." },
  { "RATE_LIMITED", 429, "系统繁忙，请稍候。", "The system is busy. Please wait a moment." },
  { "INTERNAL_ERROR", 500, "系统出现故障，请稍后再试或到人工窗口办理。",
    "The system has a fault. Please try later or go to a staffed counter." },
  { "MAINTENANCE", 503, "系统维护中，请稍后再试。",
    "The system is under maintenance. Please try again later." },
  { "UPSTREAM_UNAVAILABLE", 503, "相关业务系统暂时无法使用，请稍后再试或到人工窗口办理。",
    "A system this service needs is not available just now. Please try later or go to a staffed "
    "counter." },
};

static const ErrorCode *
find_code (const char *code)
{
  for (gsize i = 0; i < G_N_ELEMENTS (error_codes); i++)
    if (g_strcmp0 (error_codes[i].code, code) == 0)
      return &error_codes[i];
  return NULL;
}

guint
linli_sim_error_status (const char *code)
{
  const ErrorCode *entry = find_code (code);

  return entry ? entry->status : 0;
}

static const ErrorCode unknown_code
    = { "INTERNAL_ERROR", 500, "系统出现故障，请稍后再试或到人工窗口办理。",
        "The system has a fault. Please try later or go to a "
        "staffed counter." };

LinliSimResponse *
linli_sim_response_new (guint status, JsonNode *json)
{
  LinliSimResponse *self = g_new0 (LinliSimResponse, 1);

  self->status = status;
  self->json = json;
  self->headers = g_ptr_array_new_with_free_func (g_free);
  return self;
}

LinliSimResponse *
linli_sim_response_new_object (guint status, JsonObject *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return linli_sim_response_new (status, node);
}

static JsonObject *
error_object (const ErrorCode *entry)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "code", entry->code);
  json_object_set_string_member (object, "message", entry->zh);
  json_object_set_string_member (object, "message_en", entry->en);
  json_object_set_null_member (object, "retry_after");
  json_object_set_null_member (object, "request_id");
  return object;
}

LinliSimResponse *
linli_sim_response_new_error (const char *code)
{
  const ErrorCode *entry = find_code (code);
  g_autoptr (JsonObject) object = NULL;

  if (entry == NULL)
    {
      g_warning ("unknown error code %s", code);
      entry = &unknown_code;
    }
  object = error_object (entry);
  return linli_sim_response_new_object (entry->status, object);
}

LinliSimResponse *
linli_sim_response_new_validation (JsonArray *field_errors)
{
  LinliSimResponse *self = linli_sim_response_new_error ("VALIDATION_FAILED");

  json_object_set_array_member (json_node_get_object (self->json), "field_errors", field_errors);
  return self;
}

LinliSimResponse *
linli_sim_response_new_retry (const char *code, guint retry_after)
{
  LinliSimResponse *self = linli_sim_response_new_error (code);
  g_autofree char *seconds = g_strdup_printf ("%u", retry_after);

  json_object_set_int_member (json_node_get_object (self->json), "retry_after", retry_after);
  linli_sim_response_add_header (self, "Retry-After", seconds);
  return self;
}

LinliSimResponse *
linli_sim_response_new_raw (guint status, const char *content_type, GBytes *body)
{
  LinliSimResponse *self = linli_sim_response_new (status, NULL);

  self->raw = g_bytes_ref (body);
  self->content_type = g_strdup (content_type);
  return self;
}

void
linli_sim_response_free (LinliSimResponse *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->json, json_node_unref);
  g_clear_pointer (&self->raw, g_bytes_unref);
  g_free (self->content_type);
  g_ptr_array_unref (self->headers);
  g_free (self);
}

void
linli_sim_response_add_header (LinliSimResponse *self, const char *name, const char *value)
{
  g_ptr_array_add (self->headers, g_strdup (name));
  g_ptr_array_add (self->headers, g_strdup (value));
}

GBytes *
linli_sim_response_get_body (LinliSimResponse *self, const char *request_id)
{
  g_autoptr (JsonGenerator) generator = NULL;
  gsize length = 0;
  char *text;

  if (self->raw != NULL)
    return g_bytes_ref (self->raw);
  if (self->json == NULL)
    return g_bytes_new_static ("", 0);
  if (self->status >= 400 && JSON_NODE_HOLDS_OBJECT (self->json))
    {
      JsonObject *object = json_node_get_object (self->json);

      if (json_object_has_member (object, "code") && request_id != NULL)
        json_object_set_string_member (object, "request_id", request_id);
    }
  generator = json_generator_new ();
  json_generator_set_root (generator, self->json);
  text = json_generator_to_data (generator, &length);
  return g_bytes_new_take (text, length);
}

void
linli_sim_response_apply (LinliSimResponse *self, SoupServerMessage *msg, const char *request_id)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autoptr (GBytes) body = NULL;

  for (guint i = 0; i + 1 < self->headers->len; i += 2)
    soup_message_headers_replace (headers, g_ptr_array_index (self->headers, i),
                                  g_ptr_array_index (self->headers, i + 1));
  if (self->replayed)
    soup_message_headers_replace (headers, "Idempotency-Replayed", "true");
  if (request_id != NULL)
    soup_message_headers_replace (headers, "X-Request-Id", request_id);
  soup_server_message_set_status (msg, self->status, NULL);
  if (self->status == SOUP_STATUS_NOT_MODIFIED || (self->json == NULL && self->raw == NULL))
    return;
  body = linli_sim_response_get_body (self, request_id);
  soup_server_message_set_response (
      msg, self->raw ? self->content_type : "application/json; charset=utf-8", SOUP_MEMORY_COPY,
      g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}
