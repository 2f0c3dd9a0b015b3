SELECT count(*) FILTER (WHERE name <> 'new app' AND preferences IS DISTINCT FROM build_json_from_legacy(id)) = 0
   AND count(*) FILTER (WHERE name = 'new app' AND preferences <> '{"new": true}') = 0
FROM users
