//! Score weights: how much each component of a match counts. Validated once, normalised
//! to sum to 1, so scoring can never fail on them.

/// The six score components, in the order [`Components::as_array`] uses.
pub const WEIGHT_COMPONENTS: [&str; 6] =
    ["must_have", "can_have", "languages", "experience", "availability", "location"];

/// One value per score component: the weights of a query, a match's per-component values
/// (`matching::Breakdown`), and both on the wire. The one place the six components are named.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Components<T> {
    /// Strength on the must-haves beyond their minimum.
    pub must_have: T,
    /// Coverage of the can-haves.
    pub can_have: T,
    /// Languages beyond their minimum.
    pub languages: T,
    /// Overall experience against the minimum asked.
    pub experience: T,
    /// Availability within the assignment's window and extent.
    pub availability: T,
    /// Location and work mode.
    pub location: T,
}

impl<T: Copy> Components<T> {
    /// The values in [`WEIGHT_COMPONENTS`] order.
    pub fn as_array(&self) -> [T; 6] {
        [self.must_have, self.can_have, self.languages, self.experience, self.availability, self.location]
    }

    /// The components from values in [`WEIGHT_COMPONENTS`] order.
    pub const fn from_array(v: [T; 6]) -> Components<T> {
        Components {
            must_have: v[0],
            can_have: v[1],
            languages: v[2],
            experience: v[3],
            availability: v[4],
            location: v[5],
        }
    }
}

/// Normalised, finite, non-negative component weights that sum to 1. Only [`Weights::new`]
/// (and the defaults) make one, so every `Weights` is valid; read the values through `Deref`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights(Components<f64>);

impl Weights {
    /// The service defaults (they sum to 1).
    pub const DEFAULT: Weights = Weights(Components::from_array([0.35, 0.25, 0.15, 0.10, 0.10, 0.05]));

    /// Validates raw weights (finite, non-negative, not all zero) and normalises them to sum to 1.
    pub fn new(raw: [f64; 6]) -> Result<Weights, WeightsError> {
        if let Some(i) = raw.iter().position(|w| !w.is_finite() || *w < 0.0) {
            return Err(WeightsError::Invalid { component: WEIGHT_COMPONENTS[i] });
        }
        let sum: f64 = raw.iter().sum();
        if sum <= 0.0 {
            return Err(WeightsError::AllZero);
        }
        Ok(Weights(Components::from_array(raw.map(|w| w / sum))))
    }

    /// The normalised values.
    pub fn components(&self) -> Components<f64> {
        self.0
    }
}

impl std::ops::Deref for Weights {
    type Target = Components<f64>;

    fn deref(&self) -> &Components<f64> {
        &self.0
    }
}

/// Why raw weights were refused. Callers name the field at fault: the component of
/// [`WeightsError::Invalid`], or for [`WeightsError::AllZero`] the weights they set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeightsError {
    /// This component is negative, NaN or infinite.
    Invalid {
        /// Its name in [`WEIGHT_COMPONENTS`].
        component: &'static str,
    },
    /// Every weight is zero: nothing would count.
    AllZero,
}

impl std::fmt::Display for WeightsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WeightsError::Invalid { component } => write!(f, "{component} must be a finite, non-negative number"),
            WeightsError::AllZero => f.write_str("at least one weight must be greater than 0"),
        }
    }
}

impl std::error::Error for WeightsError {}

impl Default for Weights {
    fn default() -> Self {
        Weights::DEFAULT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_are_normalised() {
        let w = Weights::new([2.0, 2.0, 0.0, 0.0, 0.0, 0.0]).unwrap_or_default();
        assert!((w.must_have - 0.5).abs() < 1e-12);
        assert!((w.as_array().iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn bad_weights_are_rejected() {
        assert_eq!(Weights::new([0.0; 6]), Err(WeightsError::AllZero));
        assert_eq!(
            Weights::new([1.0, 1.0, -1.0, 1.0, 1.0, 1.0]),
            Err(WeightsError::Invalid { component: "languages" })
        );
        assert!(Weights::new([f64::NAN, 1.0, 1.0, 1.0, 1.0, 1.0]).is_err());
        assert!(Weights::new([f64::INFINITY, 1.0, 1.0, 1.0, 1.0, 1.0]).is_err());
    }
}
