//! What admins and owners submit about payouts, and how it is checked: text in, so that
//! nothing typed is lost on an error; a checked value out.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::model::PayoutMethod;
use crate::error::FieldErrors;

/// Longest payment reference accepted.
pub const REFERENCE_MAX_CHARS: usize = 100;
/// Longest payout account description accepted.
pub const ACCOUNT_MAX_CHARS: usize = 200;

/// Marking a payout paid: which payout, how it was paid and the bank's reference.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PaymentInput {
    pub payout_id: String,
    pub method: String,
    pub reference: String,
}

/// A checked payment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payment {
    pub payout_id: Uuid,
    pub method: PayoutMethod,
    pub reference: String,
}

impl PaymentInput {
    /// The payment, or every field's message with what was typed kept. An unknown payout
    /// id is not a typing error: it is `None` in the payout id (the caller answers 404).
    pub fn validate(&self) -> Result<Option<Payment>, FieldErrors> {
        let mut errors = FieldErrors::new();
        let method = PayoutMethod::from_field(&self.method)
            .map_err(|message| errors.add("method", message))
            .ok();
        let reference = self.reference.trim().to_string();
        if !(1..=REFERENCE_MAX_CHARS).contains(&reference.chars().count()) {
            errors.add(
                "reference",
                "Enter the payment reference (up to 100 characters).",
            );
        }
        match method.filter(|_| errors.is_empty()) {
            Some(method) => Ok(Uuid::parse_str(self.payout_id.trim())
                .ok()
                .map(|payout_id| Payment {
                    payout_id,
                    method,
                    reference,
                })),
            None => Err(errors
                .keep("method", &self.method)
                .keep("reference", &self.reference)),
        }
    }
}

/// How the partner is paid: the method and where to (the account's last digits, or the
/// PayPal address).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PayoutMethodInput {
    pub method: String,
    pub account: String,
}

impl PayoutMethodInput {
    pub fn validate(&self) -> Result<(PayoutMethod, String), FieldErrors> {
        let mut errors = FieldErrors::new();
        let method = PayoutMethod::from_field(&self.method)
            .map_err(|message| errors.add("method", message))
            .ok();
        let account = self.account.trim().to_string();
        if !(1..=ACCOUNT_MAX_CHARS).contains(&account.chars().count()) {
            errors.add(
                "account",
                "Say where to pay: the account's last digits, or the PayPal e-mail (up to 200 characters).",
            );
        }
        match method.filter(|_| errors.is_empty()) {
            Some(method) => Ok((method, account)),
            None => Err(errors
                .keep("method", &self.method)
                .keep("account", &self.account)),
        }
    }
}

/// A correction to a closed statement: whose, which month, how much (negative deducts), and why.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AdjustmentInput {
    pub partner_id: String,
    pub month: String,
    pub amount: String,
    pub reason: String,
}

/// Closing a month: which one, and the confirmation that the preview was checked (`yes`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CloseInput {
    pub month: String,
    pub confirm: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payment(method: &str, reference: &str) -> PaymentInput {
        PaymentInput {
            payout_id: "6f1c2b9e-3a52-4f7e-9d7a-0b1c2d3e4f50".into(),
            method: method.into(),
            reference: reference.into(),
        }
    }

    #[test]
    fn a_good_payment_is_tidied() {
        let checked = payment("wire", "  REF-2026-11 ")
            .validate()
            .unwrap()
            .unwrap();
        assert_eq!(checked.method, PayoutMethod::Wire);
        assert_eq!(checked.reference, "REF-2026-11");
    }

    #[test]
    fn bad_payments_name_each_field_and_keep_what_was_typed() {
        let errors = payment("cash", "").validate().unwrap_err();
        assert!(errors.message("method").is_some());
        assert!(errors.message("reference").is_some());
        assert_eq!(errors.kept("method"), Some("cash"));
        let long = "x".repeat(REFERENCE_MAX_CHARS + 1);
        let errors = payment("ach", &long).validate().unwrap_err();
        assert!(errors.message("method").is_none());
        assert_eq!(errors.kept("reference"), Some(long.as_str()));
    }

    #[test]
    fn an_unknown_payout_is_not_a_typing_error() {
        let mut input = payment("ach", "REF");
        input.payout_id = "not-an-id".into();
        assert_eq!(input.validate(), Ok(None));
    }

    #[test]
    fn payout_methods_need_a_known_method_and_an_account() {
        let good = PayoutMethodInput {
            method: "paypal".into(),
            account: " pay@northwind.example ".into(),
        };
        assert_eq!(
            good.validate(),
            Ok((PayoutMethod::Paypal, "pay@northwind.example".into()))
        );
        let bad = PayoutMethodInput {
            method: "cheque".into(),
            account: "x".repeat(ACCOUNT_MAX_CHARS + 1),
        };
        let errors = bad.validate().unwrap_err();
        assert!(errors.message("method").is_some());
        assert!(errors.message("account").is_some());
    }
}
