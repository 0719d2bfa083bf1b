namespace py example.weather

struct Location {
  1: required string city,
  2: optional string country,
}

service WeatherService {
  bool ping(),
  string getTemperature(1: Location location),
}
