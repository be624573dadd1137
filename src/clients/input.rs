//! What a reseller submits to create or edit a client, and how it is checked.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::program::parse_price;
use crate::{
    error::FieldErrors,
    program::{Email, Phone},
};

/// The client form as submitted: text, so that nothing typed is lost on an error.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClientInput {
    pub company_name: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub plan: String,
    /// Empty means "no custom price" (the client pays the list price).
    pub custom_price: String,
    /// "on" when the reseller bills the client (a checkbox).
    pub billing_owned_by_reseller: Option<String>,
    pub region: String,
}

/// A checked client.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientFields {
    pub company_name: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: Option<String>,
    pub plan: String,
    pub custom_price: Option<Decimal>,
    pub billing_owned_by_reseller: bool,
    pub region: Option<String>,
}

/// Regions a client can be served from.
pub const REGIONS: [&str; 3] = ["EMEA", "North America", "APAC"];
impl ClientInput {
    pub fn get(&self, field: &str) -> String {
        match field {
            "company_name" => self.company_name.clone(),
            "contact_name" => self.contact_name.clone(),
            "contact_email" => self.contact_email.clone(),
            "contact_phone" => self.contact_phone.clone(),
            "plan" => self.plan.clone(),
            "custom_price" => self.custom_price.clone(),
            "billing_owned_by_reseller" => {
                self.billing_owned_by_reseller.clone().unwrap_or_default()
            }
            "region" => self.region.clone(),
            _ => String::new(),
        }
    }

    /// Checks every field against `plans` (the plan codes that exist).
    pub fn validate(&self, plans: &[String]) -> Result<ClientFields, FieldErrors> {
        let mut errors = FieldErrors::new();
        let text = |errors: &mut FieldErrors, field: &str, value: &str, what: &str| {
            let value = value.trim().to_string();
            if value.is_empty() {
                errors.add(field, format!("Enter {what}."));
            } else if value.chars().count() > 200 {
                errors.add(field, "Use at most 200 characters.");
            }
            value
        };
        let company_name = text(
            &mut errors,
            "company_name",
            &self.company_name,
            "the company's name",
        );
        let contact_name = text(
            &mut errors,
            "contact_name",
            &self.contact_name,
            "a contact name",
        );
        let contact_email = self.contact_email.trim().to_lowercase();
        if let Err(message) = Email::parse(&contact_email) {
            errors.add("contact_email", message);
        }
        let contact_phone = Some(self.contact_phone.trim().to_string()).filter(|p| !p.is_empty());
        if let Some(phone) = &contact_phone {
            if let Err(message) = Phone::parse(phone) {
                errors.add("contact_phone", message);
            }
        }
        let plan = self.plan.trim().to_string();
        if !plans.contains(&plan) {
            errors.add("plan", "Choose a plan.");
        }
        let custom_price = match self.custom_price.trim() {
            "" => None,
            text => match parse_price(text) {
                Ok(price) => Some(price),
                Err(message) => {
                    errors.add("custom_price", message);
                    None
                }
            },
        };
        let region = Some(self.region.trim().to_string()).filter(|r| !r.is_empty());
        if let Some(region) = &region {
            if !REGIONS.contains(&region.as_str()) {
                errors.add("region", "Choose a region.");
            }
        }
        if !errors.is_empty() {
            return Err(self.keep_all(errors));
        }
        Ok(ClientFields {
            company_name,
            contact_name,
            contact_email,
            contact_phone,
            plan,
            custom_price,
            billing_owned_by_reseller: self
                .billing_owned_by_reseller
                .as_deref()
                .is_some_and(|v| !v.is_empty() && v != "false"),
            region,
        })
    }

    pub fn keep_all(&self, errors: FieldErrors) -> FieldErrors {
        [
            "company_name",
            "contact_name",
            "contact_email",
            "contact_phone",
            "plan",
            "custom_price",
            "billing_owned_by_reseller",
            "region",
        ]
        .iter()
        .fold(errors, |errors, field| errors.keep(field, self.get(field)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plans() -> Vec<String> {
        vec!["starter".into(), "professional".into(), "enterprise".into()]
    }

    fn valid() -> ClientInput {
        ClientInput {
            company_name: "Tailwind Traders".into(),
            contact_name: "Terry Adams".into(),
            contact_email: "Terry@Tailwind.example".into(),
            contact_phone: "".into(),
            plan: "professional".into(),
            custom_price: "249.50".into(),
            billing_owned_by_reseller: Some("on".into()),
            region: "EMEA".into(),
        }
    }

    #[test]
    fn a_valid_client_is_tidied() {
        let client = valid().validate(&plans()).unwrap();
        assert_eq!(client.contact_email, "terry@tailwind.example");
        assert_eq!(client.custom_price, Some(Decimal::new(24950, 2)));
        assert!(client.billing_owned_by_reseller);
        let mut input = valid();
        input.custom_price = " ".into();
        input.billing_owned_by_reseller = None;
        let client = input.validate(&plans()).unwrap();
        assert_eq!(client.custom_price, None);
        assert!(!client.billing_owned_by_reseller);
    }

    #[test]
    fn prices_are_money_with_two_places_at_most() {
        assert_eq!(parse_price("99"), Ok(Decimal::from(99)));
        assert_eq!(parse_price("$1234.5"), Ok(Decimal::new(12345, 1)));
        for bad in [
            "-5",
            "1,000",
            "12.345",
            "abc",
            "1e3",
            "",
            "1000000.01",
            "0x10",
        ] {
            assert!(parse_price(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn each_field_is_checked_and_everything_kept() {
        let cases: [(&str, &str); 6] = [
            ("company_name", ""),
            ("contact_name", "  "),
            ("contact_email", "terry"),
            ("contact_phone", "call me"),
            ("plan", "gold"),
            ("custom_price", "12.345"),
        ];
        for (field, bad) in cases {
            let mut input = valid();
            match field {
                "company_name" => input.company_name = bad.into(),
                "contact_name" => input.contact_name = bad.into(),
                "contact_email" => input.contact_email = bad.into(),
                "contact_phone" => input.contact_phone = bad.into(),
                "plan" => input.plan = bad.into(),
                _ => input.custom_price = bad.into(),
            }
            let errors = input.validate(&plans()).unwrap_err();
            assert!(errors.message(field).is_some(), "{field}");
            assert_eq!(errors.fields.len(), 1, "{field}: only that field");
            assert_eq!(
                errors.kept("company_name"),
                Some(input.company_name.as_str())
            );
        }
        let mut input = valid();
        input.region = "Mars".into();
        assert!(input
            .validate(&plans())
            .unwrap_err()
            .message("region")
            .is_some());
    }
}
